/* test-stats.c: statistics and exchange rates against real database files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every statistic is checked against the test's own computation: the lead
 * rows are read behind the store's back (a raw sqlite3 connection), the
 * filter is applied here in plain C, and the sums are converted with this
 * file's own exact arithmetic: every lead's value as an integer over one
 * fixed denominator, 10^6 (rate scale) × 10^3 (the most decimals, KWD) ×
 * 100 (probability), added up and divided once per group.
 *
 * Random datasets print their seed; rerun one with STATS_SEED=n.
 */
#include "config.h"

#include <string.h>

#include "crm-core-error.h"
#include "crm-currency.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-store-private.h"
#include "crm-test-util.h"

#define ADD_TEST(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

/* 10^6 × 10^3 × 100 */
#define DENOMINATOR ((__int128) 100000000000LL)

static const char *words[] = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot" };
static const char *owners[] = { "Anna Berg", "Ben Cole", "carla diaz", "Dirk Ernst" };
static const char *currencies[] = { "EUR", "USD", "JPY", "KWD", "CHF", "GBP" };

/* --------------------------------------------------------- the raw side */

typedef struct {
  gint64   id;
  char    *title;
  gint64   volume;
  char     currency[4];
  int      probability;
  char    *status;
  char    *phase;
  char    *owner;
  char    *unit;
  char    *type;
  CrmMonth close;
  gint64   contact_id;
} RawLead;

static void
raw_lead_free (gpointer data)
{
  RawLead *l = data;

  g_free (l->title);
  g_free (l->status);
  g_free (l->phase);
  g_free (l->owner);
  g_free (l->unit);
  g_free (l->type);
  g_free (l);
}

typedef struct {
  GPtrArray  *leads;           /* RawLead, not deleted */
  GHashTable *status_class;    /* key -> class + 1 */
  GHashTable *company_of;      /* contact id -> company id (gint64 *) */
  GPtrArray  *statuses;        /* keys in order */
  GPtrArray  *phases;          /* keys in order */
  GHashTable *labels;          /* "kind:key" -> label */
  GHashTable *rates;           /* currency -> gint64 * */
  char        company[4];
} World;

static void
world_free (World *w)
{
  g_ptr_array_unref (w->leads);
  g_hash_table_unref (w->status_class);
  g_hash_table_unref (w->company_of);
  g_ptr_array_unref (w->statuses);
  g_ptr_array_unref (w->phases);
  g_hash_table_unref (w->labels);
  g_hash_table_unref (w->rates);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (World, world_free)

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static World *
read_world (StoreFixture *f)
{
  World *w = g_new0 (World, 1);
  g_autofree char *company = NULL;
  sqlite3_stmt *stmt;

  w->leads = g_ptr_array_new_with_free_func (raw_lead_free);
  w->status_class = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w->company_of = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  w->statuses = g_ptr_array_new_with_free_func (g_free);
  w->phases = g_ptr_array_new_with_free_func (g_free);
  w->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  w->rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  company = crm_test_raw_text (f->raw, "SELECT value FROM meta WHERE key = 'default_currency'");
  g_strlcpy (w->company, company, sizeof w->company);

  g_assert_cmpint (sqlite3_prepare_v2 (f->raw,
    "SELECT id, title, volume_minor, currency, probability, status, phase, owner, unit, type, "
    "coalesce (close_month, 0), coalesce (contact_id, 0) FROM lead WHERE deleted = 0 ORDER BY id",
    -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RawLead *l = g_new0 (RawLead, 1);

      l->id = sqlite3_column_int64 (stmt, 0);
      l->title = column_dup (stmt, 1);
      l->volume = sqlite3_column_int64 (stmt, 2);
      g_strlcpy (l->currency, (const char *) sqlite3_column_text (stmt, 3), sizeof l->currency);
      l->probability = sqlite3_column_int (stmt, 4);
      l->status = column_dup (stmt, 5);
      l->phase = column_dup (stmt, 6);
      l->owner = column_dup (stmt, 7);
      l->unit = column_dup (stmt, 8);
      l->type = column_dup (stmt, 9);
      l->close = sqlite3_column_int (stmt, 10);
      l->contact_id = sqlite3_column_int64 (stmt, 11);
      g_ptr_array_add (w->leads, l);
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (f->raw,
    "SELECT kind, key, label, status_class FROM key_value WHERE kind IN ('status', 'phase') "
    "ORDER BY kind, position, id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      const char *key = (const char *) sqlite3_column_text (stmt, 1);

      g_hash_table_insert (w->labels, g_strdup_printf ("%s:%s", kind, key), column_dup (stmt, 2));
      if (g_str_equal (kind, "status"))
        {
          g_ptr_array_add (w->statuses, g_strdup (key));
          g_hash_table_insert (w->status_class, g_strdup (key), GINT_TO_POINTER (sqlite3_column_int (stmt, 3) + 1));
        }
      else
        g_ptr_array_add (w->phases, g_strdup (key));
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (f->raw, "SELECT id, coalesce (company_id, 0) FROM contact", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0), company_id = sqlite3_column_int64 (stmt, 1);

      g_hash_table_insert (w->company_of, g_memdup2 (&id, sizeof id), g_memdup2 (&company_id, sizeof company_id));
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (f->raw, "SELECT currency, rate_micros FROM exchange_rate WHERE base = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, w->company, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 rate = sqlite3_column_int64 (stmt, 1);

      g_hash_table_insert (w->rates, column_dup (stmt, 0), g_memdup2 (&rate, sizeof rate));
    }
  sqlite3_finalize (stmt);

  return w;
}

/* ----------------------------------------------- the filter, done here */

/* The ids the search words match, each word a prefix, asked of the FTS5
 * table directly; NULL: no search */
static GHashTable *
search_matches (StoreFixture        *f,
                const CrmLeadFilter *filter)
{
  GHashTable *ids;
  g_auto(GStrv) terms = NULL;
  GString *query;
  sqlite3_stmt *stmt;

  if (filter->search == NULL || *filter->search == '\0')
    return NULL;

  query = g_string_new (NULL);
  terms = g_strsplit (filter->search, " ", -1);
  for (guint i = 0; terms[i] != NULL; i++)
    if (*terms[i] != '\0')
      g_string_append_printf (query, "%s\"%s\"*", query->len > 0 ? " " : "", terms[i]);

  ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (f->raw, "SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, query->str, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
    }
  sqlite3_finalize (stmt);
  g_string_free (query, TRUE);

  return ids;
}

static gboolean
lead_passes (const World         *w,
             const RawLead       *l,
             const CrmLeadFilter *filter,
             GHashTable          *matches,
             CrmMonth             from,
             CrmMonth             to)
{
  int cls = GPOINTER_TO_INT (g_hash_table_lookup (w->status_class, l->status)) - 1;

  if (matches != NULL && !g_hash_table_contains (matches, &l->id))
    return FALSE;
  switch (filter->status_class)
    {
    case CRM_STATUS_FILTER_OPEN: if (cls != CRM_STATUS_CLASS_OPEN) return FALSE; break;
    case CRM_STATUS_FILTER_WON: if (cls != CRM_STATUS_CLASS_WON) return FALSE; break;
    case CRM_STATUS_FILTER_LOST: if (cls != CRM_STATUS_CLASS_LOST) return FALSE; break;
    case CRM_STATUS_FILTER_ANY:
    default: break;
    }
  if (filter->status != NULL && strcmp (filter->status, l->status) != 0)
    return FALSE;
  if (filter->statuses != NULL && filter->statuses[0] != NULL &&
      !g_strv_contains ((const char * const *) filter->statuses, l->status))
    return FALSE;
  if (filter->phase != NULL && strcmp (filter->phase, l->phase) != 0)
    return FALSE;
  if (filter->owner != NULL && g_ascii_strcasecmp (filter->owner, l->owner) != 0)
    return FALSE;
  if (filter->unit != NULL && strcmp (filter->unit, l->unit) != 0)
    return FALSE;
  if (filter->lead_type != NULL && strcmp (filter->lead_type, l->type) != 0)
    return FALSE;
  if (filter->contact_id != 0)
    {
      gint64 *company = g_hash_table_lookup (w->company_of, &l->contact_id);

      if (l->contact_id != filter->contact_id && (company == NULL || *company != filter->contact_id))
        return FALSE;
    }
  if (l->close == 0)
    return filter->close_from == 0 && filter->close_to == 0;
  if (filter->no_close_month)
    return FALSE;
  if (filter->close_from != 0 && l->close < filter->close_from)
    return FALSE;
  if (filter->close_to != 0 && l->close > filter->close_to)
    return FALSE;
  if (from != 0 && l->close < from)
    return FALSE;
  if (to != 0 && l->close > to)
    return FALSE;

  return TRUE;
}

/* ------------------------------------------ the expectation, done here */

typedef struct {
  gint64   count;
  __int128 absolute;   /* over DENOMINATOR */
  __int128 weighted;   /* over DENOMINATOR */
} Expect;

static __int128
ten_to (guint n)
{
  __int128 p = 1;

  for (guint i = 0; i < n; i++)
    p *= 10;

  return p;
}

/* Non-negative: (2n + d) / 2d is n / d rounded half up (= away from 0) */
static gint64
round_over (__int128 n)
{
  g_assert (n >= 0);
  return (gint64) ((2 * n + DENOMINATOR) / (2 * DENOMINATOR));
}

/* The lead's rate in the world, × 10^6; 0: none */
static gint64
rate_of (const World *w,
         const char  *currency)
{
  gint64 *rate;

  if (g_str_equal (currency, w->company))
    return 1000000;
  rate = g_hash_table_lookup (w->rates, currency);
  return rate != NULL ? *rate : 0;
}

static void
expect_add (Expect        *e,
            const World   *w,
            const RawLead *l)
{
  /* value in company minor units = volume / 10^e × rate / 10^6 × 10^ec;
   * over 10^6 × 10^3 × 100 that is volume × rate × 10^ec × 10^(3 − e) × 100 */
  __int128 unit = (__int128) rate_of (w, l->currency) *
                  ten_to (crm_currency_exponent (w->company)) *
                  ten_to (3 - crm_currency_exponent (l->currency));

  e->count++;
  e->absolute += (__int128) l->volume * unit * 100;
  e->weighted += (__int128) l->volume * l->probability * unit;
}

static char *
group_key (CrmStatsBy     by,
           const RawLead *l)
{
  switch (by)
    {
    case CRM_STATS_BY_STATUS: return g_strdup (l->status);
    case CRM_STATS_BY_PHASE: return g_strdup (l->phase);
    case CRM_STATS_BY_MONTH:
    default:
      return l->close != 0 ? crm_month_to_iso (l->close) : g_strdup ("");
    }
}

static void
assert_row (const CrmStatsRow *row,
            const Expect      *e,
            const char        *what)
{
  if (row->count != e->count ||
      row->absolute_minor != round_over (e->absolute) ||
      row->weighted_minor != round_over (e->weighted))
    g_error ("%s “%s”: got %lld / %lld / %lld, expected %lld / %lld / %lld", what, row->key,
             (long long) row->count, (long long) row->absolute_minor, (long long) row->weighted_minor,
             (long long) e->count, (long long) round_over (e->absolute), (long long) round_over (e->weighted));
}

static int
index_in (GPtrArray  *keys,
          const char *key)
{
  for (guint i = 0; i < keys->len; i++)
    if (g_str_equal (g_ptr_array_index (keys, i), key))
      return i;

  return -1;
}

/* Checks @stats against the world: every figure, the unconverted
 * currencies, the labels, the rows and their order. */
static void
check_stats (const World         *w,
             GHashTable          *matches,
             CrmStats            *stats,
             CrmStatsBy           by,
             const CrmLeadFilter *filter,
             CrmMonth             from,
             CrmMonth             to)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) unconverted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Expect total = { 0 };
  guint n_unconverted = 0;
  int last = -1;
  CrmMonth last_month = 0;

  g_assert_cmpstr (crm_stats_get_currency (stats), ==, w->company);
  g_assert_cmpint (crm_stats_get_by (stats), ==, by);

  for (guint i = 0; i < w->leads->len; i++)
    {
      const RawLead *l = g_ptr_array_index (w->leads, i);
      char *key;
      Expect *e;

      if (!lead_passes (w, l, filter, matches, from, to))
        continue;

      if (rate_of (w, l->currency) == 0)
        {
          e = g_hash_table_lookup (unconverted, l->currency);
          if (e == NULL)
            g_hash_table_insert (unconverted, g_strdup (l->currency), e = g_new0 (Expect, 1));
          e->count++;
          e->absolute += l->volume;
          continue;
        }

      key = group_key (by, l);
      e = g_hash_table_lookup (groups, key);
      if (e == NULL)
        g_hash_table_insert (groups, key, e = g_new0 (Expect, 1));
      else
        g_free (key);
      expect_add (e, w, l);
      expect_add (&total, w, l);
    }

  /* every row: its figures; empty rows are zero */
  for (guint i = 0; i < crm_stats_get_n_rows (stats); i++)
    {
      const CrmStatsRow *row = crm_stats_get_row (stats, i);
      const Expect *e = g_hash_table_lookup (groups, row->key);
      Expect zero = { 0 };

      assert_row (row, e != NULL ? e : &zero, "row");

      /* order and labels */
      if (by == CRM_STATS_BY_MONTH)
        {
          if (*row->key == '\0')
            {
              g_assert_cmpuint (i, ==, crm_stats_get_n_rows (stats) - 1);
              g_assert_cmpint (row->month, ==, CRM_MONTH_NONE);
              g_assert_cmpstr (row->label, ==, "No close month");
            }
          else
            {
              g_autofree char *label = crm_month_format (row->month);
              g_autofree char *iso = crm_month_to_iso (row->month);

              g_assert_cmpstr (iso, ==, row->key);
              g_assert_cmpstr (row->label, ==, label);
              g_assert_cmpint (row->month, >, last_month);
              last_month = row->month;
            }
        }
      else
        {
          GPtrArray *order = by == CRM_STATS_BY_STATUS ? w->statuses : w->phases;
          int index = index_in (order, row->key);
          g_autofree char *label_key = g_strdup_printf ("%s:%s", by == CRM_STATS_BY_STATUS ? "status" : "phase", row->key);

          if (index >= 0)
            {
              g_assert_cmpint (index, >, last);
              last = index;
              g_assert_cmpstr (row->label, ==, g_hash_table_lookup (w->labels, label_key));
            }
          else
            last = G_MAXINT - 1;   /* unknown keys come last */
        }
    }

  /* every group with leads has its row */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, groups);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      if (crm_stats_lookup_row (stats, key) == NULL)
        g_error ("no row for “%s”", (const char *) key);
  }

  /* by month with a range: exactly its months, and "no close month"
   * unless the filter's own range excludes those leads */
  if (by == CRM_STATS_BY_MONTH && from != 0 && to != 0)
    {
      guint n_months = to - from + 1;
      gboolean none = filter->close_from == 0 && filter->close_to == 0;

      g_assert_cmpuint (crm_stats_get_n_rows (stats), ==, n_months + (none ? 1 : 0));
      for (guint i = 0; i < n_months; i++)
        g_assert_cmpint (crm_stats_get_row (stats, i)->month, ==, from + (CrmMonth) i);
    }

  {
    const CrmStatsRow *row = crm_stats_get_total (stats);

    assert_row (row, &total, "total");
    g_assert_cmpstr (row->label, ==, "Total");
  }

  for (guint i = 0; i < crm_stats_get_n_unconverted (stats); i++)
    {
      const CrmStatsUnconverted *u = crm_stats_get_unconverted (stats, i);
      const Expect *e = g_hash_table_lookup (unconverted, u->currency);

      g_assert_nonnull (e);
      g_assert_cmpint (u->count, ==, e->count);
      g_assert_cmpint (u->absolute_minor, ==, (gint64) e->absolute);
      n_unconverted++;
    }
  g_assert_cmpuint (n_unconverted, ==, g_hash_table_size (unconverted));
}

static void
check_one (StoreFixture        *f,
           const World         *w,
           const CrmLeadFilter *filter,
           CrmMonth             from,
           CrmMonth             to)
{
  g_autoptr(GHashTable) matches = search_matches (f, filter);

  for (CrmStatsBy by = CRM_STATS_BY_STATUS; by <= CRM_STATS_BY_MONTH; by++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CrmStats) stats = crm_store_query_stats (f->store, by, filter, from, to, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (stats);
      check_stats (w, matches, stats, by, filter, from, to);
    }
}

/* ---------------------------------------------------------- datasets */

typedef struct {
  GRand   *rng;
  CrmMonth base;
  gint64   contacts[4];   /* company, its person, another company, a person */
} Gen;

static const char *
pick (GRand        *rng,
      const char  **list,
      guint         n)
{
  return list[g_rand_int_range (rng, 0, n)];
}

/* A lead with random values through the store's own write path */
static gint64
random_lead (StoreFixture *f,
             Gen          *gen)
{
  static const char *statuses[] = { "open", "on_hold", "won", "lost", "cancelled" };
  static const char *phases[] = { "lead", "qualification", "needs_analysis", "proposal", "negotiation", "decision" };
  static const char *units[] = { "north", "south", "international", "key_accounts" };
  static const char *types[] = { "new_business", "upsell", "renewal", "service" };
  g_autofree char *title = g_strdup_printf ("%s %s %u", pick (gen->rng, words, G_N_ELEMENTS (words)),
                                            pick (gen->rng, words, G_N_ELEMENTS (words)),
                                            g_rand_int_range (gen->rng, 0, 1000));
  const char *currency = pick (gen->rng, currencies, G_N_ELEMENTS (currencies));
  g_autofree char *volume = NULL;
  g_autofree char *probability = NULL;
  g_autofree char *close = NULL;
  g_autofree char *contact = NULL;
  guint r = g_rand_int_range (gen->rng, 0, 10);

  /* 0, 100 and the values in between; tiny and big volumes */
  probability = g_strdup_printf ("%d", r == 0 ? 0 : r == 1 ? 100 : g_rand_int_range (gen->rng, 0, 101));
  switch (g_rand_int_range (gen->rng, 0, 4))
    {
    case 0: volume = g_strdup_printf ("%d", g_rand_int_range (gen->rng, 0, 10)); break;
    case 1: volume = g_strdup_printf ("%d", g_rand_int_range (gen->rng, 0, 100000)); break;
    case 2: volume = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) g_rand_int (gen->rng) * 1000); break;
    default: volume = g_strdup_printf ("%d", g_rand_int_range (gen->rng, 1, 1000) * 5); break;
    }
  if (g_rand_int_range (gen->rng, 0, 5) != 0)
    close = crm_month_to_iso (crm_month_add (gen->base, g_rand_int_range (gen->rng, -6, 18)));
  else
    close = g_strdup ("");
  contact = g_strdup_printf ("%" G_GINT64_FORMAT, g_rand_int_range (gen->rng, 0, 3) == 0
                             ? gen->contacts[g_rand_int_range (gen->rng, 0, 4)] : (gint64) 0);

  return crm_test_create_lead (f->store, title,
                               "currency", currency,
                               "volume_minor", volume,
                               "probability", probability,
                               "status", pick (gen->rng, statuses, G_N_ELEMENTS (statuses)),
                               "phase", pick (gen->rng, phases, G_N_ELEMENTS (phases)),
                               "unit", pick (gen->rng, units, G_N_ELEMENTS (units)),
                               "type", pick (gen->rng, types, G_N_ELEMENTS (types)),
                               "owner", pick (gen->rng, owners, G_N_ELEMENTS (owners)),
                               "close_month", close,
                               "contact_id", g_str_equal (contact, "0") ? "" : contact,
                               NULL);
}

static guint32
test_seed (void)
{
  const char *env = g_getenv ("STATS_SEED");
  guint32 seed = env != NULL ? (guint32) g_ascii_strtoull (env, NULL, 10) : g_random_int ();

  g_test_message ("seed %u (rerun with STATS_SEED=%u)", seed, seed);
  return seed;
}

static Gen *
gen_new (StoreFixture *f,
         guint32       seed)
{
  g_autoptr(GError) error = NULL;
  Gen *gen = g_new0 (Gen, 1);

  gen->rng = g_rand_new_with_seed (seed);
  gen->base = crm_month_new (2027, 1);
  gen->contacts[0] = crm_store_create_contact (f->store, "company", "Zulu Werke", 0, &error);
  gen->contacts[1] = crm_store_create_contact (f->store, "person", "Yara Yilmaz", gen->contacts[0], &error);
  gen->contacts[2] = crm_store_create_contact (f->store, "company", "Xaver Xylo", 0, &error);
  gen->contacts[3] = crm_store_create_contact (f->store, "person", "Wanda Wolf", 0, &error);
  g_assert_no_error (error);

  return gen;
}

static void
gen_free (Gen *gen)
{
  g_rand_free (gen->rng);
  g_free (gen);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Gen, gen_free)

/* Rates for USD, JPY and KWD (not CHF and GBP: unconverted) */
static void
set_rates (StoreFixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_store_set_rate (f->store, "USD", 923457, &error));
  g_assert_true (crm_store_set_rate (f->store, "JPY", 6173, &error));
  g_assert_true (crm_store_set_rate (f->store, "kwd", 2987654, &error));
  g_assert_no_error (error);
}

/* A random filter and month range: each condition with some chance */
static CrmLeadFilter *
random_filter (GRand    *rng,
               Gen      *gen,
               CrmMonth *out_from,
               CrmMonth *out_to)
{
  static const char *keys[] = { "open", "on_hold", "won", "lost", "cancelled", "nonesuch" };
  CrmLeadFilter *filter = crm_lead_filter_new ();

#define CHANCE(n) (g_rand_int_range (rng, 0, n) == 0)
  if (CHANCE (4))
    {
      const char *word = pick (rng, words, G_N_ELEMENTS (words));

      filter->search = g_strndup (word, g_rand_int_range (rng, 1, strlen (word) + 1));
    }
  if (CHANCE (4))
    filter->status_class = g_rand_int_range (rng, 0, 4);
  if (CHANCE (6))
    filter->status = g_strdup (pick (rng, keys, 5));
  if (CHANCE (3))
    {
      const char *set[4] = { pick (rng, keys, 6), pick (rng, keys, 6), pick (rng, keys, 6), NULL };

      crm_lead_filter_set_statuses (filter, set);
    }
  if (CHANCE (5))
    filter->phase = g_strdup (CHANCE (2) ? "proposal" : "lead");
  if (CHANCE (3))
    {
      /* the owner in another case: compared like COLLATE NOCASE */
      filter->owner = g_ascii_strup (pick (rng, owners, G_N_ELEMENTS (owners)), -1);
    }
  if (CHANCE (4))
    filter->unit = g_strdup (CHANCE (2) ? "north" : "key_accounts");
  if (CHANCE (4))
    filter->lead_type = g_strdup (CHANCE (2) ? "upsell" : "service");
  if (CHANCE (6))
    filter->contact_id = gen->contacts[g_rand_int_range (rng, 0, 4)];
  if (CHANCE (4))
    filter->close_from = crm_month_add (gen->base, g_rand_int_range (rng, -3, 6));
  if (CHANCE (4))
    filter->close_to = crm_month_add (gen->base, g_rand_int_range (rng, 6, 12));
  if (CHANCE (8))
    filter->no_close_month = TRUE;

  *out_from = *out_to = CRM_MONTH_NONE;
  if (CHANCE (3))
    {
      *out_from = crm_month_add (gen->base, g_rand_int_range (rng, -8, 4));
      *out_to = crm_month_add (*out_from, g_rand_int_range (rng, 0, 14));
    }
  else if (CHANCE (6))
    *out_to = crm_month_add (gen->base, g_rand_int_range (rng, 0, 10));
#undef CHANCE

  return filter;
}

static void
check_random_filters (StoreFixture *f,
                      Gen          *gen,
                      guint         n)
{
  g_autoptr(World) w = read_world (f);
  g_autoptr(CrmLeadFilter) any = crm_lead_filter_new ();

  check_one (f, w, any, CRM_MONTH_NONE, CRM_MONTH_NONE);
  for (guint i = 0; i < n; i++)
    {
      CrmMonth from, to;
      g_autoptr(CrmLeadFilter) filter = random_filter (gen->rng, gen, &from, &to);

      check_one (f, w, filter, from, to);
    }
}

/* ------------------------------------------------------------- tests */

static void
test_random_datasets (StoreFixture *f,
                      gconstpointer data)
{
  guint32 seed = test_seed ();
  g_autoptr(Gen) gen = gen_new (f, seed);
  g_autoptr(GError) error = NULL;
  gint64 extra_phase;
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();

  set_rates (f);
  for (guint i = 0; i < 300; i++)
    random_lead (f, gen);

  /* a phase with leads, then deactivated: its row stays while it has leads */
  extra_phase = crm_store_add_key_value (f->store, "phase", "Pilot", 60, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    {
      gint64 id = random_lead (f, gen);

      crm_test_update_lead (f->store, id, "phase", "pilot", NULL);
    }
  g_assert_true (crm_store_set_key_value_active (f->store, extra_phase, FALSE, &error));
  g_assert_no_error (error);

  /* deleted leads count nowhere */
  for (guint i = 0; i < 10; i++)
    g_assert_true (crm_store_delete_lead (f->store, random_lead (f, gen), &error));

  check_random_filters (f, gen, 150);

  /* every filter alone */
  {
    g_autoptr(World) w = read_world (f);
    const char *set[] = { "won", "lost", NULL };

    filter->search = g_strdup ("cha");
    check_one (f, w, filter, 0, 0);
    g_clear_pointer (&filter->search, g_free);
    for (int c = CRM_STATUS_FILTER_OPEN; c <= CRM_STATUS_FILTER_LOST; c++)
      {
        filter->status_class = c;
        check_one (f, w, filter, 0, 0);
      }
    filter->status_class = CRM_STATUS_FILTER_ANY;
    filter->status = g_strdup ("on_hold");
    check_one (f, w, filter, 0, 0);
    g_clear_pointer (&filter->status, g_free);
    crm_lead_filter_set_statuses (filter, set);
    check_one (f, w, filter, 0, 0);
    crm_lead_filter_set_statuses (filter, NULL);
    filter->phase = g_strdup ("pilot");
    check_one (f, w, filter, 0, 0);
    g_clear_pointer (&filter->phase, g_free);
    filter->owner = g_strdup ("CARLA DIAZ");
    check_one (f, w, filter, 0, 0);
    g_clear_pointer (&filter->owner, g_free);
    filter->unit = g_strdup ("south");
    check_one (f, w, filter, 0, 0);
    g_clear_pointer (&filter->unit, g_free);
    filter->lead_type = g_strdup ("renewal");
    check_one (f, w, filter, 0, 0);
    g_clear_pointer (&filter->lead_type, g_free);
    filter->contact_id = gen->contacts[0];
    check_one (f, w, filter, 0, 0);
    filter->contact_id = 0;
    filter->close_from = crm_month_new (2027, 3);
    filter->close_to = crm_month_new (2027, 8);
    check_one (f, w, filter, 0, 0);
    check_one (f, w, filter, crm_month_new (2027, 1), crm_month_new (2027, 12));
    filter->close_from = filter->close_to = 0;
    filter->no_close_month = TRUE;
    check_one (f, w, filter, 0, 0);
    check_one (f, w, filter, crm_month_new (2027, 1), crm_month_new (2027, 3));
    filter->no_close_month = FALSE;
    check_one (f, w, filter, crm_month_new (2026, 11), crm_month_new (2028, 2));
    check_one (f, w, filter, crm_month_new (2026, 11), CRM_MONTH_NONE);
  }

  /* the deactivated phase with leads has its row */
  {
    g_autoptr(CrmStats) stats = crm_store_query_stats (f->store, CRM_STATS_BY_PHASE, NULL, 0, 0, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (crm_stats_lookup_row (stats, "pilot"));
    g_assert_cmpstr (crm_stats_lookup_row (stats, "pilot")->label, ==, "Pilot");
  }
}

/* The summary follows every kind of write */
static void
test_summary_follows_writes (StoreFixture *f,
                             gconstpointer data)
{
  guint32 seed = test_seed ();
  g_autoptr(Gen) gen = gen_new (f, seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 status_kv, id;

  set_rates (f);
  for (guint i = 0; i < 120; i++)
    {
      id = random_lead (f, gen);
      g_array_append_val (ids, id);
    }
  check_random_filters (f, gen, 10);   /* builds the summary */

#define NTH(i) g_array_index (ids, gint64, (i))
  /* create */
  id = random_lead (f, gen);
  g_array_append_val (ids, id);
  check_random_filters (f, gen, 5);

  /* update: every field statistics read */
  crm_test_update_lead (f->store, NTH (3), "volume_minor", "123457", "currency", "KWD", "probability", "35",
                        "status", "on_hold", "phase", "decision", "owner", "Somebody New",
                        "unit", "south", "type", "service", "close_month", "2031-07", NULL);
  crm_test_update_lead (f->store, NTH (4), "close_month", "", NULL);
  check_random_filters (f, gen, 5);

  /* delete and undelete */
  g_assert_true (crm_store_delete_lead (f->store, NTH (5), &error));
  check_random_filters (f, gen, 5);
  g_assert_true (crm_store_undelete_lead (f->store, NTH (5), &error));
  g_assert_no_error (error);
  check_random_filters (f, gen, 5);

  /* won, lost, phase steps, a contact report that changes the phase */
  g_assert_true (crm_store_mark_won (f->store, NTH (6), &error));
  g_assert_true (crm_store_mark_lost (f->store, NTH (7), "price", &error));
  crm_test_update_lead (f->store, NTH (8), "phase", "lead", NULL);
  g_assert_true (crm_store_step_phase (f->store, NTH (8), 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_add_activity (f->store, NTH (9), "call", 0, "Zz", "zz omega",
                                           80, "negotiation", &error), >, 0);
  g_assert_no_error (error);
  check_random_filters (f, gen, 5);

  /* a duplicate */
  g_assert_cmpint (crm_store_duplicate_lead (f->store, NTH (10), &error), >, 0);
  g_assert_no_error (error);
  check_random_filters (f, gen, 5);

  /* a contact renamed (its leads change), key values renamed, moved,
   * deactivated: labels and order follow */
  g_assert_true (crm_store_update_contact (f->store, gen->contacts[0], "Zulu Renamed", 0,
                                           "", "", "", "", &error));
  g_assert_no_error (error);
  status_kv = crm_key_value_get_id (crm_store_lookup_key_value (f->store, "status", "on_hold"));
  g_assert_true (crm_store_rename_key_value (f->store, status_kv, "Paused", &error));
  g_assert_true (crm_store_move_key_value (f->store, status_kv, 0, &error));
  g_assert_true (crm_store_move_key_value (f->store,
    crm_key_value_get_id (crm_store_lookup_key_value (f->store, "phase", "decision")), 0, &error));
  g_assert_no_error (error);
  check_random_filters (f, gen, 5);

  /* rates and the company currency */
  g_assert_true (crm_store_set_rate (f->store, "CHF", 1045000, &error));
  g_assert_true (crm_store_remove_rate (f->store, "USD", &error));
  g_assert_no_error (error);
  check_random_filters (f, gen, 5);
  g_assert_true (crm_store_set_default_currency (f->store, "USD", &error));
  g_assert_true (crm_store_set_rate (f->store, "EUR", 1083000, &error));
  g_assert_no_error (error);
  check_random_filters (f, gen, 5);
  g_assert_true (crm_store_set_default_currency (f->store, "EUR", &error));
  g_assert_no_error (error);

  /* another process writes: seen through the writer's data_version */
  crm_test_raw_exec (f->raw, "UPDATE lead SET volume_minor = 777, status = 'won' WHERE id = %lld", (long long) NTH (11));
  crm_test_raw_exec (f->raw, "UPDATE lead SET deleted = 1 WHERE id = %lld", (long long) NTH (12));
  check_random_filters (f, gen, 5);

  /* sync applying a page: the notes alone keep the summary right */
  crm_test_raw_exec (f->raw, "UPDATE lead SET probability = 3 WHERE id IN (%lld, %lld)",
                     (long long) NTH (13), (long long) NTH (14));
  {
    gint64 changed[] = { NTH (13), NTH (14) };

    _crm_store_stats_note_leads (f->store, changed, G_N_ELEMENTS (changed));
  }
  check_random_filters (f, gen, 5);

  /* generated data (leads-changed) */
  g_assert_true (crm_store_generate (f->store, 200, seed, NULL, NULL, &error));
  g_assert_no_error (error);
  check_random_filters (f, gen, 10);
#undef NTH
}

/* Rounding: …5 exactly, half-way after conversion, once per group and
 * once for the total */
static void
test_rounding (StoreFixture *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmStats) stats = NULL;
  const CrmStatsRow *row;

  /* EUR: 1 cent at 50 % is 0.5 -> 1; two of them are exactly 1 -> 1 */
  crm_test_create_lead (f->store, "a", "volume_minor", "1", "probability", "50", "status", "open", NULL);
  crm_test_create_lead (f->store, "b", "volume_minor", "1", "probability", "50", "status", "on_hold", NULL);
  crm_test_create_lead (f->store, "c", "volume_minor", "1", "probability", "50", "status", "on_hold", NULL);
  /* 3 cents at 50 % = 1.5 -> 2; 5 cents at 10 % = 0.5 -> 1 */
  crm_test_create_lead (f->store, "d", "volume_minor", "3", "probability", "50", "status", "won", NULL);
  crm_test_create_lead (f->store, "e", "volume_minor", "5", "probability", "10", "status", "lost", NULL);

  stats = crm_store_query_stats (f->store, CRM_STATS_BY_STATUS, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  row = crm_stats_lookup_row (stats, "open");
  g_assert_cmpint (row->count, ==, 1);
  g_assert_cmpint (row->absolute_minor, ==, 1);
  g_assert_cmpint (row->weighted_minor, ==, 1);
  row = crm_stats_lookup_row (stats, "on_hold");
  g_assert_cmpint (row->weighted_minor, ==, 1);
  row = crm_stats_lookup_row (stats, "won");
  g_assert_cmpint (row->weighted_minor, ==, 2);
  row = crm_stats_lookup_row (stats, "lost");
  g_assert_cmpint (row->weighted_minor, ==, 1);
  row = crm_stats_lookup_row (stats, "cancelled");
  g_assert_cmpint (row->count, ==, 0);
  /* total: 0.5 + 1 + 1.5 + 0.5 = 3.5 -> 4, not 1 + 1 + 2 + 1 = 5 */
  row = crm_stats_get_total (stats);
  g_assert_cmpint (row->count, ==, 5);
  g_assert_cmpint (row->absolute_minor, ==, 11);
  g_assert_cmpint (row->weighted_minor, ==, 4);
  g_clear_object (&stats);

  /* after conversion: USD at 0.5: 1 cent is 0.5 EUR cents -> 1;
   * JPY at 0.00625: 100 yen are 62.5 cents -> 63;
   * KWD at 3: 5 fils are 1.5 cents -> 2 */
  g_assert_true (crm_store_set_rate (f->store, "USD", 500000, &error));
  g_assert_true (crm_store_set_rate (f->store, "JPY", 6250, &error));
  g_assert_true (crm_store_set_rate (f->store, "KWD", 3000000, &error));
  g_assert_no_error (error);
  crm_test_create_lead (f->store, "u", "volume_minor", "1", "currency", "USD", "probability", "100",
                        "status", "open", "close_month", "2027-01", NULL);
  crm_test_create_lead (f->store, "j", "volume_minor", "100", "currency", "JPY", "probability", "100",
                        "status", "open", "close_month", "2027-02", NULL);
  crm_test_create_lead (f->store, "k", "volume_minor", "5", "currency", "KWD", "probability", "100",
                        "status", "open", "close_month", "2027-03", NULL);
  /* half of 62.5 = 31.25 -> 31; and the same JPY lead at 50 % */
  crm_test_create_lead (f->store, "j2", "volume_minor", "100", "currency", "JPY", "probability", "50",
                        "status", "open", "close_month", "2027-04", NULL);

  stats = crm_store_query_stats (f->store, CRM_STATS_BY_MONTH, NULL,
                                 crm_month_new (2027, 1), crm_month_new (2027, 6), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_stats_get_n_rows (stats), ==, 7);
  row = crm_stats_lookup_row (stats, "2027-01");
  g_assert_cmpint (row->absolute_minor, ==, 1);
  g_assert_cmpint (row->weighted_minor, ==, 1);
  row = crm_stats_lookup_row (stats, "2027-02");
  g_assert_cmpint (row->absolute_minor, ==, 63);
  g_assert_cmpint (row->weighted_minor, ==, 63);
  row = crm_stats_lookup_row (stats, "2027-03");
  g_assert_cmpint (row->absolute_minor, ==, 2);
  row = crm_stats_lookup_row (stats, "2027-04");
  g_assert_cmpint (row->absolute_minor, ==, 63);
  g_assert_cmpint (row->weighted_minor, ==, 31);
  row = crm_stats_lookup_row (stats, "2027-05");
  g_assert_cmpint (row->count, ==, 0);
  g_assert_cmpint (row->absolute_minor, ==, 0);
  row = crm_stats_get_row (stats, 6);
  g_assert_cmpstr (row->key, ==, "");
  g_assert_cmpint (row->count, ==, 5);
  /* total absolute: 11 + 0.5 + 62.5 + 1.5 + 62.5 = 138 exactly (rows: 140) */
  row = crm_stats_get_total (stats);
  g_assert_cmpint (row->absolute_minor, ==, 138);
  g_clear_object (&stats);

  /* company currency without decimals: 1 EUR cent at 160 yen/EUR = 1.6 -> 2 */
  g_assert_true (crm_store_set_default_currency (f->store, "JPY", &error));
  g_assert_true (crm_store_set_rate (f->store, "EUR", 160000000, &error));
  g_assert_no_error (error);
  stats = crm_store_query_stats (f->store, CRM_STATS_BY_STATUS, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_stats_get_currency (stats), ==, "JPY");
  row = crm_stats_lookup_row (stats, "open");
  /* 1 EUR cent at 50 % -> 1.6 / 0.8; 100 yen at 100 %; 100 yen at 50 %:
   * 201.6 -> 202, 150.8 -> 151 */
  g_assert_cmpint (row->count, ==, 3);
  g_assert_cmpint (row->absolute_minor, ==, 202);
  g_assert_cmpint (row->weighted_minor, ==, 151);
  /* USD and KWD have no rate against JPY: unconverted, not 0, not 1:1 */
  g_assert_cmpuint (crm_stats_get_n_unconverted (stats), ==, 2);
  g_assert_cmpstr (crm_stats_get_unconverted (stats, 0)->currency, ==, "KWD");
  g_assert_cmpint (crm_stats_get_unconverted (stats, 0)->absolute_minor, ==, 5);
  g_assert_cmpstr (crm_stats_get_unconverted (stats, 1)->currency, ==, "USD");
  g_assert_cmpint (crm_stats_get_unconverted (stats, 1)->count, ==, 1);
}

static void
on_rates_changed_cb (CrmStore *store,
                     gpointer  user_data)
{
  (*(guint *) user_data)++;
}

static void
test_rates (StoreFixture *f,
            gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rates = NULL;
  g_autofree char *text = NULL;
  guint n_signals = 0;
  gint64 micros = 0;

  g_signal_connect (f->store, "rates-changed", G_CALLBACK (on_rates_changed_cb), &n_signals);

  /* parsing: exact, at most 6 decimals, positive, bounded */
  g_assert_true (crm_money_parse_rate ("1.0825", &micros, &error));
  g_assert_cmpint (micros, ==, 1082500);
  g_assert_true (crm_money_parse_rate (" 0,000001 ", &micros, &error));
  g_assert_cmpint (micros, ==, 1);
  g_assert_true (crm_money_parse_rate ("150", &micros, &error));
  g_assert_cmpint (micros, ==, 150000000);
  g_assert_no_error (error);
  g_assert_false (crm_money_parse_rate ("1.0000001", &micros, &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_TOO_MANY_DECIMALS);
  g_clear_error (&error);
  g_assert_false (crm_money_parse_rate ("0", &micros, &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_AMOUNT);
  g_clear_error (&error);
  g_assert_false (crm_money_parse_rate ("-1", &micros, &error));
  g_clear_error (&error);
  g_assert_false (crm_money_parse_rate ("1e3", &micros, &error));
  g_clear_error (&error);
  g_assert_false (crm_money_parse_rate ("1.2.3", &micros, &error));
  g_clear_error (&error);
  g_assert_false (crm_money_parse_rate ("2000000", &micros, &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_AMOUNT_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (crm_money_parse_rate ("", &micros, &error));
  g_clear_error (&error);
  text = crm_money_format_rate (1082500, '.');
  g_assert_cmpstr (text, ==, "1.0825");
  g_free (text);
  text = crm_money_format_rate (150000000, ',');
  g_assert_cmpstr (text, ==, "150");
  g_free (text);
  text = crm_money_format_rate (1, ',');
  g_assert_cmpstr (text, ==, "0,000001");

  /* the store: set, replace, list, remove; bad input changes nothing */
  g_assert_true (crm_store_set_rate (f->store, "usd", 923000, &error));
  g_assert_true (crm_store_set_rate (f->store, "USD", 924000, &error));
  g_assert_true (crm_store_set_rate (f->store, "CHF", 1050000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_signals, ==, 3);
  rates = crm_store_list_rates (f->store);
  g_assert_cmpuint (rates->len, ==, 2);
  g_assert_cmpstr (g_array_index (rates, CrmExchangeRate, 0).currency, ==, "CHF");
  g_assert_cmpstr (g_array_index (rates, CrmExchangeRate, 1).currency, ==, "USD");
  g_assert_cmpint (g_array_index (rates, CrmExchangeRate, 1).rate_micros, ==, 924000);
  g_assert_cmpint (crm_store_get_rate (f->store, "EUR"), ==, 1000000);
  g_assert_cmpint (crm_store_get_rate (f->store, "GBP"), ==, 0);

  g_assert_false (crm_store_set_rate (f->store, "EUR", 1000000, &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_CURRENCY);
  g_clear_error (&error);
  g_assert_false (crm_store_set_rate (f->store, "XYZ", 1000000, &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_CURRENCY);
  g_clear_error (&error);
  g_assert_false (crm_store_set_rate (f->store, "GBP", 0, &error));
  g_assert_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_AMOUNT);
  g_clear_error (&error);
  g_assert_false (crm_store_remove_rate (f->store, "GBP", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (crm_test_raw_int (f->raw, "SELECT count(*) FROM exchange_rate"), ==, 2);
  g_assert_cmpuint (n_signals, ==, 3);

  g_assert_true (crm_store_remove_rate (f->store, "chf", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_signals, ==, 4);

  /* rates belong to their company currency */
  g_assert_true (crm_store_set_default_currency (f->store, "CHF", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_signals, ==, 5);
  g_array_unref (rates);
  rates = crm_store_list_rates (f->store);
  g_assert_cmpuint (rates->len, ==, 0);
  g_assert_cmpint (crm_store_get_rate (f->store, "USD"), ==, 0);
  g_assert_true (crm_store_set_default_currency (f->store, "EUR", &error));
  g_assert_cmpint (crm_store_get_rate (f->store, "USD"), ==, 924000);

  /* the month range must not end before it begins */
  g_assert_null (crm_store_query_stats (f->store, CRM_STATS_BY_MONTH, NULL,
                                        crm_month_new (2027, 5), crm_month_new (2027, 4), NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
}

/* A statistic on the list's filter counts exactly the leads the list
 * shows: status sets and "no close month" included */
static void
test_same_leads_as_list (StoreFixture *f,
                         gconstpointer data)
{
  guint32 seed = test_seed ();
  g_autoptr(Gen) gen = gen_new (f, seed);

  for (guint i = 0; i < 150; i++)
    random_lead (f, gen);
  set_rates (f);
  /* every currency converts here: the list and the statistic count the same */
  g_assert_true (crm_store_set_rate (f->store, "CHF", 1000001, NULL));
  g_assert_true (crm_store_set_rate (f->store, "GBP", 1170000, NULL));

  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(World) w = read_world (f);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = NULL;
      g_autoptr(CrmStats) stats = NULL;
      g_autoptr(CrmLeadTotals) totals = NULL;
      g_autoptr(CrmLeadFilter) filter = NULL;
      g_autoptr(GHashTable) matches = NULL;
      CrmMonth from, to;
      guint expected = 0;
      gint64 sum = 0;

      filter = random_filter (gen->rng, gen, &from, &to);
      if (i % 2 == 0)
        {
          const char *set[] = { "open", "won", NULL };

          crm_lead_filter_set_statuses (filter, set);
        }
      if (i % 3 == 0)
        {
          filter->no_close_month = TRUE;
          filter->close_from = filter->close_to = 0;
        }

      matches = search_matches (f, filter);
      ids = crm_store_query_lead_ids (f->store, filter, 0, NULL, &error);
      g_assert_no_error (error);
      totals = crm_store_query_totals (f->store, filter, NULL, &error);
      g_assert_no_error (error);
      stats = crm_store_query_stats (f->store, CRM_STATS_BY_STATUS, filter, 0, 0, NULL, &error);
      g_assert_no_error (error);

      /* the list query against this file's own filter */
      for (guint j = 0; j < w->leads->len; j++)
        {
          const RawLead *l = g_ptr_array_index (w->leads, j);

          if (lead_passes (w, l, filter, matches, 0, 0))
            {
              expected++;
              if (g_str_equal (l->currency, "EUR"))
                sum += l->volume;
            }
        }
      g_assert_cmpuint (ids->len, ==, expected);
      g_assert_cmpint (totals->count, ==, expected);
      g_assert_cmpint (crm_stats_get_total (stats)->count, ==, expected);
      g_assert_cmpuint (crm_stats_get_n_unconverted (stats), ==, 0);
      for (guint c = 0; c < totals->sums->len; c++)
        if (g_str_equal (g_array_index (totals->sums, CrmCurrencySum, c).currency, "EUR"))
          g_assert_cmpint (g_array_index (totals->sums, CrmCurrencySum, c).absolute_minor, ==, sum);
      check_stats (w, matches, stats, CRM_STATS_BY_STATUS, filter, 0, 0);
    }
}

static void
on_stats_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CrmStats **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = crm_store_query_stats_finish (CRM_STORE (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* The async call gives what the sync one gives, also right after an edit */
static void
test_async (StoreFixture *f,
            gconstpointer data)
{
  guint32 seed = test_seed ();
  g_autoptr(Gen) gen = gen_new (f, seed);
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  CrmStats *stats = NULL;
  gint64 id;

  set_rates (f);
  for (guint i = 0; i < 50; i++)
    random_lead (f, gen);

  filter->status_class = CRM_STATUS_FILTER_OPEN;
  crm_store_query_stats_async (f->store, CRM_STATS_BY_PHASE, filter, 0, 0, NULL, on_stats_done_cb, &stats);
  g_assert_true (crm_test_wait_until (is_set, &stats, 10000));
  {
    g_autoptr(World) w = read_world (f);

    check_stats (w, NULL, stats, CRM_STATS_BY_PHASE, filter, 0, 0);
  }
  g_clear_object (&stats);

  /* an edit, and at once the statistic: it sees the edit */
  id = random_lead (f, gen);
  crm_test_update_lead (f->store, id, "status", "open", "volume_minor", "99999999", "currency", "EUR", NULL);
  crm_store_query_stats_async (f->store, CRM_STATS_BY_PHASE, filter, 0, 0, NULL, on_stats_done_cb, &stats);
  g_assert_true (crm_test_wait_until (is_set, &stats, 10000));
  {
    g_autoptr(World) w = read_world (f);

    check_stats (w, NULL, stats, CRM_STATS_BY_PHASE, filter, 0, 0);
  }
  g_clear_object (&stats);
}

static void
test_filter_value (void)
{
  g_autoptr(CrmLeadFilter) a = crm_lead_filter_new ();
  g_autoptr(CrmLeadFilter) b = NULL;
  const char *set1[] = { "won", "open", "won", "", NULL };
  const char *set2[] = { "open", "won", NULL };
  const char *set3[] = { "open", NULL };
  const char *empty[] = { "", NULL };

  g_assert_true (crm_lead_filter_is_empty (a));
  crm_lead_filter_set_statuses (a, empty);
  g_assert_null (a->statuses);
  g_assert_true (crm_lead_filter_is_empty (a));

  crm_lead_filter_set_statuses (a, set1);
  g_assert_cmpuint (g_strv_length (a->statuses), ==, 2);
  g_assert_false (crm_lead_filter_is_empty (a));
  b = crm_lead_filter_copy (a);
  g_assert_true (crm_lead_filter_equal (a, b));
  crm_lead_filter_set_statuses (b, set2);
  g_assert_true (crm_lead_filter_equal (a, b));
  crm_lead_filter_set_statuses (b, set3);
  g_assert_false (crm_lead_filter_equal (a, b));
  crm_lead_filter_set_statuses (b, NULL);
  g_assert_false (crm_lead_filter_equal (a, b));
  crm_lead_filter_set_statuses (a, NULL);
  g_assert_true (crm_lead_filter_equal (a, b));

  b->no_close_month = TRUE;
  g_assert_false (crm_lead_filter_is_empty (b));
  g_assert_false (crm_lead_filter_equal (a, b));
  g_clear_pointer (&a, crm_lead_filter_free);
  a = crm_lead_filter_copy (b);
  g_assert_true (a->no_close_month);
  g_assert_true (crm_lead_filter_equal (a, b));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stats/filter-value", test_filter_value);
  ADD_TEST ("/stats/rates", test_rates);
  ADD_TEST ("/stats/rounding", test_rounding);
  ADD_TEST ("/stats/random-datasets", test_random_datasets);
  ADD_TEST ("/stats/summary-follows-writes", test_summary_follows_writes);
  ADD_TEST ("/stats/same-leads-as-list", test_same_leads_as_list);
  ADD_TEST ("/stats/async", test_async);

  return g_test_run ();
}
