/* crm-store-generate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Realistic, deterministic data: German and international companies and
 * people, leads in every phase and status with their contact reports over
 * the last 18 months and the closed-loop log those reports caused. The
 * same seed gives the same data (relative to today's date).
 *
 * It writes in batches of BATCH leads per transaction with explicit ids,
 * reports before their lead (foreign keys deferred to commit) so that the
 * FTS trigger indexes a lead with its reports in one insert: a million
 * leads take minutes, not hours.
 */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-month.h"
#include "crm-money.h"
#include "crm-store-private.h"

#define BATCH 20000
/* page cache while generating: fewer index pages go back and forth to the file */
#define GENERATE_CACHE_KIB 131072
#define DAY (24 * 60 * 60)

static const char *company_stems[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
  "Hoffmann", "Schäfer", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
  "Nordwind", "Alpenblick", "Rheinland", "Hanse", "Elbtal", "Bodensee", "Spreewald", "Isar",
  "Acme", "Globex", "Initech", "Contoso", "Fabrikam", "Northwind", "Umbrella", "Stark",
  "Helvetia", "Lumière", "Nordic", "Atlas", "Meridian", "Vertex", "Polaris", "Zenith",
};
static const char *company_trades[] = {
  "Maschinenbau", "Logistik", "Software", "Energie", "Medizintechnik", "Bau", "Automotive",
  "Elektro", "Lebensmittel", "Chemie", "Textil", "Consulting", "Systems", "Industries",
  "Solutions", "Pharma", "Handel", "Verpackung", "Robotics", "Foods",
};
static const char *company_forms[] = {
  "GmbH", "AG", "GmbH & Co. KG", "KG", "SE", "Ltd", "Inc.", "S.A.", "B.V.", "AB", "S.r.l.", "e.K.",
};
static const char *first_names[] = {
  "Anna", "Lena", "Julia", "Katharina", "Sabine", "Petra", "Monika", "Laura", "Sophie", "Emma",
  "Jürgen", "Klaus", "Stefan", "Michael", "Andreas", "Thomas", "Frank", "Lukas", "Jonas", "Felix",
  "Ayşe", "Mehmet", "Marco", "Giulia", "Pierre", "Camille", "Olivia", "James", "Lars", "Ingrid",
};
static const char *last_names[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
  "Hoffmann", "Krüger", "Zimmermann", "Braun", "Hartmann", "Lange", "Werner", "Köhler", "Jäger",
  "Yılmaz", "Rossi", "Dubois", "Smith", "Johansson", "Nowak", "García", "Novák", "Öztürk", "Brandt",
};
static const char *cities[] = {
  "Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf",
  "Leipzig", "Dresden", "Hannover", "Nürnberg", "Bremen", "Wien", "Zürich", "Basel", "Linz",
};
static const char *streets[] = {
  "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gartenweg", "Schillerstraße",
  "Goethestraße", "Am Hafen", "Lindenallee", "Marktplatz", "Werkstraße",
};
static const char *products[] = {
  "ERP-Einführung", "CRM-Rollout", "Wartungsvertrag", "Lizenzerweiterung", "Cloud-Migration",
  "Hardware-Erneuerung", "Schulungspaket", "Retrofit Produktionslinie", "Flottenmanagement",
  "Rechenzentrum-Konsolidierung", "Service level upgrade", "Data platform", "Security audit",
  "Field service app", "Predictive maintenance pilot", "Warehouse automation", "Support renewal",
  "Energy monitoring", "Lagerverwaltung", "Qualitätssicherung", "Vertriebsportal", "E-Commerce-Relaunch",
};
static const char *title_suffixes[] = {
  "2027", "Phase 2", "Pilot", "EMEA", "DACH", "Standort Nord", "Standort Süd", "Werk 3",
  "Rahmenvertrag", "Erweiterung", "Konzernweit", "Q3",
};
static const char *report_subjects[] = {
  "Erstgespräch", "Bedarfsanalyse vor Ort", "Angebot besprochen", "Preisverhandlung",
  "Demo beim Kunden", "Rückfrage Einkauf", "Technische Klärung", "Entscheidungsvorlage",
  "Follow-up call", "Kick-off meeting", "Budget confirmed", "Reference visit",
  "Messegespräch", "Vertragsentwurf versendet", "Workshop mit Fachabteilung",
};
static const char *report_texts[] = {
  "Kunde sieht klaren Bedarf, Budget ist für das nächste Quartal eingeplant.",
  "Einkauf fordert ein überarbeitetes Angebot mit Staffelpreisen.",
  "Die Geschäftsführung ist interessiert, will aber noch zwei Wettbewerber anhören.",
  "Technische Anforderungen geklärt; Schnittstelle zum Altsystem ist machbar.",
  "Customer asked for references from the same industry.",
  "Decision postponed until the board meeting next month.",
  "Very positive feedback after the demo; champion in the IT department.",
  "Competitor offered a lower price; we emphasised service quality.",
  "Rahmenvertrag liegt in der Rechtsabteilung zur Prüfung.",
  "Projektstart frühestens nach der Umstellung im Werk.",
};
static const char *descriptions[] = {
  "Ablösung der bestehenden Lösung, Entscheidung durch IT-Leitung und Einkauf.",
  "Expansion into two new sites; roll-out planned in stages.",
  "Kunde möchte Wartung und Support aus einer Hand.",
  "Pilot in one plant, option for all plants in the group.",
  "Ausschreibung mit drei Anbietern, Zuschlag nach Preis und Referenzen.",
  "",
};

typedef struct {
  const char *name;
  const char *unit;
} Owner;

static const Owner owners[] = {
  { "Anna Schäfer", "north" }, { "Jonas Becker", "north" },
  { "Mehmet Yılmaz", "south" }, { "Claudia Hoffmann", "south" },
  { "Lukas Wagner", "international" }, { "Sophie Martin", "international" },
  { "Thomas Krüger", "key_accounts" }, { "Elif Demir", "key_accounts" },
};

#define PICK(rng, array) (array[g_rand_int_range ((rng), 0, G_N_ELEMENTS (array))])

typedef struct {
  CrmStore     *self;
  GRand        *rng;
  gint64        now;
  sqlite3_stmt *contact;
  sqlite3_stmt *lead;
  sqlite3_stmt *activity;
  sqlite3_stmt *event;
  GPtrArray    *phases;    /* CrmKeyValue, active, in order */
  GPtrArray    *kinds;     /* activity kinds */
  GPtrArray    *reasons;   /* lost reasons */
  gint64        next_contact;
  gint64        next_activity;
  gint64        n_companies;
  gint64        first_company;
} Gen;

static char *
random_uuid (GRand *rng)
{
  guint32 w[4];

  for (guint i = 0; i < 4; i++)
    w[i] = g_rand_int (rng);

  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x",
                          w[0], w[1] >> 16, w[1] & 0xfff,
                          (w[2] >> 16 & 0x3fff) | 0x8000, w[2] & 0xffff, w[3]);
}

static gboolean
step (Gen           *gen,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  return _crm_store_step_done (gen->self, stmt, error);
}

static gboolean
insert_contact (Gen         *gen,
                const char  *kind,
                const char  *name,
                gint64       company_id,
                const char  *addresses,
                const char  *phones,
                const char  *emails,
                GError     **error)
{
  g_autofree char *uuid = random_uuid (gen->rng);
  sqlite3_stmt *stmt = gen->contact;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, gen->next_contact++);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, name, -1, SQLITE_TRANSIENT);
  if (company_id > 0)
    sqlite3_bind_int64 (stmt, 5, company_id);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_text (stmt, 6, addresses, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, phones, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, emails, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, gen->now - g_rand_int_range (gen->rng, 300, 900) * DAY);

  return step (gen, stmt, error);
}

static char *
domain_of (const char *company)
{
  g_autofree char *ascii = g_str_to_ascii (company, "C");
  GString *d = g_string_new (NULL);

  for (const char *p = ascii; *p && *p != ' '; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (d, g_ascii_tolower (*p));
  g_string_append (d, ".example");

  return g_string_free (d, FALSE);
}

/* One company and, mostly, a person working there. Returns the id of the
 * contact a lead should point to. */
static gint64
make_contacts (Gen     *gen,
               GError **error)
{
  g_autofree char *company = g_strdup_printf ("%s %s %s", PICK (gen->rng, company_stems),
                                              PICK (gen->rng, company_trades), PICK (gen->rng, company_forms));
  g_autofree char *domain = domain_of (company);
  g_autofree char *address = g_strdup_printf ("%s %d, %05d %s", PICK (gen->rng, streets),
                                              g_rand_int_range (gen->rng, 1, 200),
                                              g_rand_int_range (gen->rng, 10000, 99999),
                                              PICK (gen->rng, cities));
  g_autofree char *phone = g_strdup_printf ("+49 %d %d", g_rand_int_range (gen->rng, 30, 990),
                                            g_rand_int_range (gen->rng, 100000, 9999999));
  g_autofree char *info = g_strdup_printf ("info@%s", domain);
  gint64 company_id = gen->next_contact;

  if (!insert_contact (gen, "company", company, 0, address, phone, info, error))
    return 0;

  if (g_rand_int_range (gen->rng, 0, 10) < 8)
    {
      const char *first = PICK (gen->rng, first_names);
      const char *last = PICK (gen->rng, last_names);
      g_autofree char *person = g_strdup_printf ("%s %s", first, last);
      g_autofree char *local = g_str_to_ascii (first, "C");
      g_autofree char *local_last = g_str_to_ascii (last, "C");
      g_autofree char *email = g_ascii_strdown (local, -1);
      g_autofree char *email_last = g_ascii_strdown (local_last, -1);
      g_autofree char *address_line = g_strdup_printf ("%s.%s@%s", email, email_last, domain);
      g_autofree char *mobile = g_strdup_printf ("+49 1%d %d", g_rand_int_range (gen->rng, 50, 79),
                                                 g_rand_int_range (gen->rng, 1000000, 9999999));

      if (!insert_contact (gen, "person", person, company_id, "", mobile, address_line, error))
        return 0;

      return g_rand_boolean (gen->rng) ? company_id + 1 : company_id;
    }

  return company_id;
}

static gboolean
insert_event (Gen         *gen,
              gint64       lead_id,
              gint64       at,
              const char  *author,
              const char  *field,
              const char  *old_value,
              const char  *new_value,
              gint64       activity_id,
              GError     **error)
{
  sqlite3_stmt *stmt = gen->event;

  sqlite3_reset (stmt);
  _crm_store_bind_event (stmt, lead_id, at, author, field, old_value, new_value, activity_id);

  return step (gen, stmt, error);
}

static gboolean
make_lead (Gen     *gen,
           gint64   id,
           gint64   contact_id,
           GError **error)
{
  GRand *rng = gen->rng;
  const Owner *owner = &owners[g_rand_int_range (rng, 0, G_N_ELEMENTS (owners))];
  g_autofree char *uuid = random_uuid (rng);
  g_autofree char *title = g_strdup_printf ("%s %s", PICK (rng, products), PICK (rng, title_suffixes));
  int roll = g_rand_int_range (rng, 0, 100);
  const char *status = roll < 65 ? "open" : roll < 70 ? "on_hold" : roll < 85 ? "won" : roll < 97 ? "lost" : "cancelled";
  gboolean closed = !g_str_equal (status, "open") && !g_str_equal (status, "on_hold");
  guint n_phases = gen->phases->len;
  /* more leads early in the funnel than late */
  guint phase_index = MIN (n_phases - 1, (guint) (g_rand_int_range (rng, 0, n_phases) *
                                                  g_rand_int_range (rng, 1, 4) / 3 +
                                                  g_rand_int_range (rng, 0, 2)) % n_phases);
  CrmKeyValue *phase_kv;
  gint64 volume = (gint64) g_rand_int_range (rng, 20, 5000) * 100 * 100;   /* 2,000 .. 500,000 */
  int currency_roll = g_rand_int_range (rng, 0, 100);
  const char *currency = currency_roll < 85 ? "EUR" : currency_roll < 92 ? "CHF" : currency_roll < 97 ? "USD" : "GBP";
  gint64 created = gen->now - (gint64) g_rand_int_range (rng, 10, 540) * DAY - g_rand_int_range (rng, 0, DAY);
  CrmMonth now_month;
  CrmMonth close_month;
  int probability;
  int n_reports = g_rand_int_range (rng, 0, 5);
  gint64 last_activity = 0;
  gint64 reports_end = gen->now;
  const char *lost_reason = "";
  sqlite3_stmt *stmt;
  g_autofree char *contact_name = NULL;
  g_autoptr(GDateTime) now_dt = g_date_time_new_from_unix_utc (gen->now);

  if (g_rand_int_range (rng, 0, 10) == 0)
    volume *= 10;
  if (g_str_equal (status, "won"))
    phase_index = n_phases - 1;
  phase_kv = g_ptr_array_index (gen->phases, phase_index);
  probability = MAX (0, crm_key_value_get_probability (phase_kv));

  now_month = crm_month_new (g_date_time_get_year (now_dt), g_date_time_get_month (now_dt));
  close_month = closed ? crm_month_add (now_month, -g_rand_int_range (rng, 0, 13))
                       : crm_month_add (now_month, g_rand_int_range (rng, 0, 15));
  if (g_rand_int_range (rng, 0, 20) == 0)
    close_month = CRM_MONTH_NONE;

  /* Reports first: they re-estimate the probability step by step. An
   * open lead's last report is 0 to 20 days old (derived, so that the
   * random sequence and with it the rest of the data stay as they were):
   * a pipeline where some deals, not all, are stale. */
  if (!closed && n_reports > 0)
    {
      gint64 recent = MAX (created, gen->now - (created / DAY) % 21 * DAY);

      reports_end = recent + (recent - created) / n_reports;
    }
  for (int r = 0; r < n_reports; r++)
    {
      g_autofree char *activity_uuid = random_uuid (rng);
      gint64 at = created + (reports_end - created) * (r + 1) / (n_reports + 1);
      int new_probability = -1;
      gint64 activity_id = gen->next_activity++;
      CrmKeyValue *kind = g_ptr_array_index (gen->kinds, g_rand_int_range (rng, 0, gen->kinds->len));

      if (!closed && g_rand_int_range (rng, 0, 3) == 0)
        {
          /* not inside CLAMP (): it evaluates its argument up to three times */
          int delta = g_rand_int_range (rng, -2, 3) * 5;

          new_probability = CLAMP (probability + delta, 0, 100);
        }

      stmt = gen->activity;
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, activity_id);
      sqlite3_bind_text (stmt, 2, activity_uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, id);
      sqlite3_bind_int64 (stmt, 4, contact_id);
      sqlite3_bind_text (stmt, 5, crm_key_value_get_key (kind), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, at);
      sqlite3_bind_text (stmt, 7, PICK (rng, report_subjects), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, PICK (rng, report_texts), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, owner->name, -1, SQLITE_STATIC);
      if (new_probability >= 0)
        sqlite3_bind_int (stmt, 10, new_probability);
      else
        sqlite3_bind_null (stmt, 10);
      if (!step (gen, stmt, error))
        return FALSE;

      if (new_probability >= 0 && new_probability != probability)
        {
          g_autofree char *old_text = g_strdup_printf ("%d", probability);
          g_autofree char *new_text = g_strdup_printf ("%d", new_probability);

          if (!insert_event (gen, id, at, owner->name, "probability", old_text, new_text, activity_id, error))
            return FALSE;
          probability = new_probability;
        }
      last_activity = at;
    }

  if (g_str_equal (status, "won"))
    probability = 100;
  else if (closed)
    {
      probability = 0;
      lost_reason = crm_key_value_get_key (g_ptr_array_index (gen->reasons, g_rand_int_range (rng, 0, gen->reasons->len)));
    }

  {
    sqlite3_stmt *name_stmt = _crm_store_prepare (gen->self, "SELECT name FROM contact WHERE id = ?", error);

    if (name_stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (name_stmt, 1, contact_id);
    if (sqlite3_step (name_stmt) == SQLITE_ROW)
      contact_name = g_strdup (_crm_store_column_text (name_stmt, 0));
    sqlite3_reset (name_stmt);
  }

  stmt = gen->lead;
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, contact_id);
  sqlite3_bind_text (stmt, 5, contact_name ? contact_name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, volume);
  sqlite3_bind_text (stmt, 7, currency, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 8, probability);
  sqlite3_bind_text (stmt, 9, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, crm_key_value_get_key (phase_kv), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, crm_key_value_get_position (phase_kv));
  sqlite3_bind_text (stmt, 12, g_rand_boolean (rng) ? "new_business" : PICK (rng, ((const char *[]) { "upsell", "renewal", "service" })), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, owner->unit, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, owner->name, -1, SQLITE_STATIC);
  if (close_month != CRM_MONTH_NONE)
    sqlite3_bind_int (stmt, 15, close_month);
  else
    sqlite3_bind_null (stmt, 15);
  sqlite3_bind_text (stmt, 16, PICK (rng, ((const char *[]) { "referral", "website", "trade_fair", "cold_call", "partner", "campaign" })), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 17, PICK (rng, descriptions), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 18, lost_reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 19, created);
  sqlite3_bind_int64 (stmt, 20, last_activity > 0 ? last_activity : created);
  if (last_activity > 0)
    sqlite3_bind_int64 (stmt, 21, last_activity);
  else
    sqlite3_bind_null (stmt, 21);
  /* open leads have a next step within four weeks; derived from the id,
   * not drawn, so the rest of the data stays as it was for a seed */
  if (!closed)
    {
      g_autoptr(GDateTime) follow_up = g_date_time_add_days (now_dt, 1 + (int) (id * 7 % 28));
      g_autofree char *date = g_date_time_format (follow_up, "%Y-%m-%d");

      sqlite3_bind_text (stmt, 22, date, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_null (stmt, 22);
  if (!step (gen, stmt, error))
    return FALSE;

  if (!insert_event (gen, id, created, owner->name, "created", NULL, title, 0, error))
    return FALSE;

  if (closed)
    {
      gint64 at = last_activity > 0 ? last_activity : created;

      if (!insert_event (gen, id, at, owner->name, "status", "open", status, 0, error))
        return FALSE;
    }

  return TRUE;
}

static GPtrArray *
active_values (CrmStore   *self,
               const char *kind)
{
  g_autoptr(GListModel) list = crm_store_list_key_values (self, kind, FALSE);
  GPtrArray *array = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    g_ptr_array_add (array, g_list_model_get_item (list, i));

  return array;
}

static gint64
next_id (CrmStore   *self,
         const char *sql)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self, sql, NULL);
  gint64 id = 1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0) + 1;
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return id;
}

static gint64
cache_size (CrmStore *self)
{
  sqlite3_stmt *stmt = _crm_store_prepare (self, "PRAGMA cache_size", NULL);
  gint64 size = -2000;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    size = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return size;
}

static void
set_cache_size (CrmStore *self,
                gint64    size)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, size);

  _crm_store_exec (self, sql, NULL);
}

/* ----------------------------------------------------------------- public */

/**
 * crm_store_generate:
 * @n_leads: how many leads to add
 * @seed: the same seed gives the same data
 * @progress: (nullable): called after each batch
 *
 * Adds generated leads with contacts, contact reports and their log. Each
 * batch is one transaction: an error leaves the batches before it.
 */
gboolean
crm_store_generate (CrmStore         *self,
                    guint64           n_leads,
                    guint32           seed,
                    CrmProgressFunc   progress,
                    gpointer          user_data,
                    GError          **error)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (seed);
  g_autoptr(GPtrArray) phases = active_values (self, "phase");
  g_autoptr(GPtrArray) kinds = active_values (self, "activity_kind");
  g_autoptr(GPtrArray) reasons = active_values (self, "lost_reason");
  Gen gen = { 0 };
  gint64 next_lead;
  guint64 done = 0;
  gint64 old_cache_size;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  /* generated data never goes to a team server */
  if (self->sync_bound)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("This database is synced with a team server: generate data in a database of its own"));
      return FALSE;
    }

  if (phases->len == 0 || kinds->len == 0 || reasons->len == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Generating needs at least one active phase, activity kind and lost reason"));
      return FALSE;
    }

  gen.self = self;
  gen.rng = rng;
  gen.now = _crm_store_now ();
  gen.phases = phases;
  gen.kinds = kinds;
  gen.reasons = reasons;
  gen.next_contact = next_id (self, "SELECT coalesce (max (id), 0) FROM contact");
  gen.next_activity = next_id (self, "SELECT coalesce (max (id), 0) FROM activity");
  next_lead = next_id (self, "SELECT coalesce (max (id), 0) FROM lead");

  gen.contact = _crm_store_prepare (self,
    "INSERT INTO contact (id, uuid, kind, name, company_id, addresses, phones, emails, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)", error);
  if (gen.contact == NULL)
    return FALSE;
  gen.lead = _crm_store_prepare (self,
    "INSERT INTO lead (id, uuid, title, contact_id, contact_name, volume_minor, currency, probability, "
    "  status, phase, phase_rank, type, unit, owner, close_month, source, description, lost_reason, "
    "  created_at, updated_at, last_activity, next_follow_up) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (gen.lead == NULL)
    return FALSE;
  gen.activity = _crm_store_prepare (self,
    "INSERT INTO activity (id, uuid, lead_id, contact_id, kind, at, subject, text, author, probability, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?6)", error);
  if (gen.activity == NULL)
    return FALSE;
  gen.event = _crm_store_prepare (self,
    "INSERT INTO lead_event (lead_id, at, author, field, old_value, new_value, activity_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (gen.event == NULL)
    return FALSE;

  old_cache_size = cache_size (self);
  set_cache_size (self, -GENERATE_CACHE_KIB);

  while (done < n_leads)
    {
      guint64 batch = MIN (BATCH, n_leads - done);

      if (!_crm_store_begin (self, error))
        return FALSE;
      if (!_crm_store_exec (self, "PRAGMA defer_foreign_keys = ON", error))
        goto fail;

      for (guint64 i = 0; i < batch; i++)
        {
          gint64 contact_id;

          /* about one company per three leads: companies have several deals */
          if (gen.n_companies == 0 || g_rand_int_range (rng, 0, 3) == 0)
            {
              gint64 first = gen.next_contact;

              contact_id = make_contacts (&gen, error);
              if (contact_id == 0)
                goto fail;
              if (gen.n_companies == 0)
                gen.first_company = first;
              gen.n_companies++;
            }
          else
            {
              /* an existing contact from this run */
              contact_id = gen.first_company + g_rand_int_range (rng, 0, (gint32) MIN (gen.next_contact - gen.first_company, G_MAXINT32));
            }

          if (!make_lead (&gen, next_lead++, contact_id, error))
            goto fail;
        }

      if (!_crm_store_commit (self, error))
        {
          set_cache_size (self, old_cache_size);
          return FALSE;
        }

      done += batch;
      if (progress != NULL)
        progress (done, n_leads, user_data);
    }

  set_cache_size (self, old_cache_size);
  g_signal_emit (self, _crm_store_signals[SIGNAL_CONTACTS_CHANGED], 0, (gint64) 0);
  g_signal_emit (self, _crm_store_signals[SIGNAL_LEADS_CHANGED], 0);
  return TRUE;

fail:
  _crm_store_rollback (self);
  set_cache_size (self, old_cache_size);
  return FALSE;
}

/* The sample a new user can try the app with. */
gboolean
crm_store_load_sample (CrmStore  *self,
                       GError   **error)
{
  /* Illustrative rates of the sample's currencies, in euros × 10^6, so
   * that the statistics of the sample count every lead. */
  static const CrmExchangeRate in_euros[] = {
    { "EUR", 1000000 }, { "CHF", 1050000 }, { "USD", 920000 }, { "GBP", 1170000 },
  };
  const char *company;
  gint64 company_in_euros = 0;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!crm_store_generate (self, 300, 2026, NULL, NULL, error))
    return FALSE;

  company = crm_store_get_default_currency (self);
  for (guint i = 0; i < G_N_ELEMENTS (in_euros); i++)
    if (g_strcmp0 (in_euros[i].currency, company) == 0)
      company_in_euros = in_euros[i].rate_micros;

  /* a company currency the sample does not know: no rates, the
   * statistics list the other currencies as not counted */
  if (company_in_euros == 0)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (in_euros); i++)
    {
      gint64 rate;

      if (g_strcmp0 (in_euros[i].currency, company) == 0 ||
          crm_store_get_rate (self, in_euros[i].currency) > 0)
        continue;

      rate = crm_money_divide_round (in_euros[i].rate_micros * CRM_RATE_SCALE, company_in_euros);
      if (!crm_store_set_rate (self, in_euros[i].currency, rate, error))
        return FALSE;
    }

  return TRUE;
}
