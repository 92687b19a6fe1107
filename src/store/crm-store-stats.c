/* crm-store-stats.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Statistics (by status, by phase, by close month) and the exchange rates
 * they convert with.
 *
 * Design. SQLite needs 160–190 ms for one aggregate over a million leads
 * and seconds for some filtered ones; a statistic must take ≤ 50 ms with
 * any filter. So statistics never aggregate in SQL: they scan a compact
 * in-memory summary of what they need of each lead, 24 bytes a lead:
 *
 *   volume (int64), and as small dictionary indexes (uint16): close month,
 *   owner (folded like COLLATE NOCASE), status, phase, unit, type,
 *   currency; probability and a "not deleted" flag (uint8).
 *
 * The records sit in id order (a parallel sorted array of ids), so a
 * lead is found by binary search, new leads append, and the sorted id
 * lists of a search (FTS5 rowids) or a contact filter are merged in.
 * Filters become per-dictionary lookup tables (status class, status key,
 * status set → one table over the status dictionary; months → one table
 * over the month dictionary), so the scan is a few byte loads and
 * compares per lead, adding into per-(group, currency) accumulators.
 *
 * Keeping it current. The summary is built once, on first use, by
 * whichever thread asks (the app asks from a worker through
 * crm_store_query_stats_async ()), from the reader connection. Every
 * write of the store notes the leads it changed after its commit
 * (_crm_store_stats_note_lead (): the store connects to its own
 * lead-changed and leads-changed first, before anyone else can, so the
 * note precedes every handler; sync calls the note functions itself).
 * A note only records the id; the next statistic takes the noted ids
 * *before* it starts its read transaction and re-reads those rows in it,
 * so no committed change can be missed. Commits of other processes are
 * seen in the writer connection's PRAGMA data_version and rebuild the
 * summary. Key values (labels, order, status classes), the company
 * currency and the rates are read in the same read transaction for every
 * statistic: a few rows.
 *
 * Exactness. Per group and currency the scan adds Σ volume and
 * Σ volume × probability in 128-bit integers. A group's figure in the
 * company currency is then one fraction over all its currencies,
 *   Σ_c S_c · rate_c · 10^e_company · 10^(E − e_c)  /  (10^6 · 10^E)
 * (E the largest exponent among the currencies, 10^6 the rate scale;
 * weighted: also / 100), rounded half away from zero once. The total is
 * one such fraction over all groups. Overflow of 128 bits is an error,
 * never a wrong figure. Leads in a currency without a rate are in no row:
 * they are listed, per currency, as unconverted.
 */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-core-error.h"
#include "crm-currency.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-store-private.h"

/* Noting more leads than this at once rebuilds instead */
#define MAX_PENDING 50000
#define MAX_DICT    G_MAXUINT16
/* Leads scanned between two looks at the cancellable */
#define SCAN_SLICE  (1 << 18)

/* ---------------------------------------------------------------- structs */

typedef struct {
  gint64  volume;
  guint16 month;         /* months dictionary; 0: no close month */
  guint16 owner;
  guint16 status;
  guint16 phase;
  guint16 unit;
  guint16 type;
  guint16 currency;
  guint8  probability;
  guint8  live;          /* 1: not deleted */
} Record;

G_STATIC_ASSERT (sizeof (Record) == 24);

/* Strings to small indexes */
typedef struct {
  GPtrArray  *strings;   /* index -> char * */
  GHashTable *index;     /* char * -> index + 1 */
} Dict;

enum { D_OWNER, D_STATUS, D_PHASE, D_UNIT, D_TYPE, D_CURRENCY, N_DICTS };

/* the fields, as errors name them */
static const char *dict_names[N_DICTS] = {
  "owner", "status", "phase", "unit", "type", "currency",
};

typedef struct {
  gint64     *ids;       /* ascending */
  Record     *recs;
  gsize       len;
  gsize       alloc;
  Dict        dicts[N_DICTS];
  GArray     *months;    /* CrmMonth by index; [0] = CRM_MONTH_NONE */
  GHashTable *month_index;  /* month -> index */
  gint64      writer_version;
} Summary;

typedef struct {
  GMutex    lock;        /* guards pending and rebuild (the summary itself
                          * is only touched with the reader lock held) */
  Summary  *summary;
  GArray   *pending;     /* gint64 ids noted since the last statistic */
  gboolean  rebuild;
  gboolean  used;        /* a statistic has begun: notes count from now */
  gboolean  noted_many;  /* the coming leads-changed was noted id by id
                          * (main thread only) */
} Stats;

/* What a statistic reads besides the summary, in its read transaction */
typedef struct {
  char        currency[4];      /* company currency */
  GHashTable *rates;            /* currency -> gint64 * rate × 10^6 */
  GPtrArray  *key_values[2];    /* status, phase: KeyInfo in order */
} Context;

typedef struct {
  char *key;
  char *label;
  int   status_class;
  int   active;
} KeyInfo;

/* One group and currency */
typedef struct {
  gint64   count;
  __int128 volume;
  __int128 volume_times_probability;
} Acc;

typedef struct {
  CrmStatsBy     by;
  CrmLeadFilter *filter;
  CrmMonth       from;
  CrmMonth       to;
} StatsTask;

/* ---------------------------------------------------------- dictionaries */

static void
dict_init (Dict *dict)
{
  dict->strings = g_ptr_array_new_with_free_func (g_free);
  dict->index = g_hash_table_new (g_str_hash, g_str_equal);
}

static void
dict_clear (Dict *dict)
{
  g_clear_pointer (&dict->index, g_hash_table_unref);
  g_clear_pointer (&dict->strings, g_ptr_array_unref);
}

/* The index of @text, added when new; -1 when the dictionary is full */
static int
dict_intern (Dict       *dict,
             const char *text)
{
  gpointer found = g_hash_table_lookup (dict->index, text);
  char *copy;

  if (found != NULL)
    return GPOINTER_TO_INT (found) - 1;
  if (dict->strings->len >= MAX_DICT)
    return -1;

  copy = g_strdup (text);
  g_ptr_array_add (dict->strings, copy);
  g_hash_table_insert (dict->index, copy, GINT_TO_POINTER (dict->strings->len));
  return dict->strings->len - 1;
}

/* The index of @text, or -1 */
static int
dict_lookup (const Dict *dict,
             const char *text)
{
  gpointer found = g_hash_table_lookup (dict->index, text);

  return found != NULL ? GPOINTER_TO_INT (found) - 1 : -1;
}

static guint
dict_size (const Dict *dict)
{
  return dict->strings->len;
}

static const char *
dict_string (const Dict *dict,
             guint       index)
{
  return g_ptr_array_index (dict->strings, index);
}

/* ---------------------------------------------------------------- summary */

static Summary *
summary_new (void)
{
  Summary *summary = g_new0 (Summary, 1);
  CrmMonth none = CRM_MONTH_NONE;

  for (guint d = 0; d < N_DICTS; d++)
    dict_init (&summary->dicts[d]);
  summary->months = g_array_new (FALSE, FALSE, sizeof (CrmMonth));
  g_array_append_val (summary->months, none);
  summary->month_index = g_hash_table_new (NULL, NULL);

  return summary;
}

static void
summary_free (Summary *summary)
{
  if (summary == NULL)
    return;

  for (guint d = 0; d < N_DICTS; d++)
    dict_clear (&summary->dicts[d]);
  g_array_unref (summary->months);
  g_hash_table_unref (summary->month_index);
  g_free (summary->ids);
  g_free (summary->recs);
  g_free (summary);
}

/* The slot of @id, or -(insertion point) - 1 */
static gssize
summary_find (const Summary *summary,
              gint64         id)
{
  gsize lo = 0, hi = summary->len;

  /* new leads come last */
  if (summary->len > 0 && id > summary->ids[summary->len - 1])
    return -(gssize) summary->len - 1;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (summary->ids[mid] < id)
        lo = mid + 1;
      else if (summary->ids[mid] > id)
        hi = mid;
      else
        return mid;
    }

  return -(gssize) lo - 1;
}

static Record *
summary_insert (Summary *summary,
                gsize    at,
                gint64   id)
{
  if (summary->len == summary->alloc)
    {
      summary->alloc = MAX (1024, summary->alloc * 2);
      summary->ids = g_renew (gint64, summary->ids, summary->alloc);
      summary->recs = g_renew (Record, summary->recs, summary->alloc);
    }

  if (at < summary->len)
    {
      memmove (summary->ids + at + 1, summary->ids + at, (summary->len - at) * sizeof (gint64));
      memmove (summary->recs + at + 1, summary->recs + at, (summary->len - at) * sizeof (Record));
    }
  summary->len++;
  summary->ids[at] = id;
  memset (&summary->recs[at], 0, sizeof (Record));

  return &summary->recs[at];
}

static int
month_intern (Summary  *summary,
              CrmMonth  month)
{
  gpointer found;

  if (month == CRM_MONTH_NONE)
    return 0;

  found = g_hash_table_lookup (summary->month_index, GINT_TO_POINTER (month));
  if (found != NULL)
    return GPOINTER_TO_INT (found);
  if (summary->months->len >= MAX_DICT)
    return -1;

  g_array_append_val (summary->months, month);
  g_hash_table_insert (summary->month_index, GINT_TO_POINTER (month),
                       GINT_TO_POINTER (summary->months->len - 1));
  return summary->months->len - 1;
}

/* What the summary reads of a lead; the build reads only leads that are
 * not deleted (0 for the flag), from the covering index lead_stats */
#define LEAD_COLUMNS \
  "l.volume_minor, l.probability, l.close_month, l.owner, l.status, l.phase, l.unit, l.type, l.currency"
#define LEAD_SELECT "SELECT l.id, l.deleted, " LEAD_COLUMNS " FROM lead l"
#define LEAD_BUILD \
  "SELECT l.id, 0, " LEAD_COLUMNS " FROM lead l INDEXED BY lead_stats WHERE l.deleted = 0 ORDER BY l.id"

static void
too_many (GError     **error,
          const char  *field)
{
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
               _("%s: statistics cannot handle more than %u different values"), field, MAX_DICT);
}

/* Fills @rec from a row of LEAD_SELECT */
static gboolean
summary_fill (Summary       *summary,
              Record        *rec,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  g_autofree char *owner = g_ascii_strdown (_crm_store_column_text (stmt, 5), -1);
  int values[N_DICTS];
  int month;

  values[D_OWNER] = dict_intern (&summary->dicts[D_OWNER], owner);
  for (guint d = D_STATUS; d < N_DICTS; d++)
    values[d] = dict_intern (&summary->dicts[d], _crm_store_column_text (stmt, 6 + d - D_STATUS));
  month = month_intern (summary, sqlite3_column_int (stmt, 4));

  for (guint d = 0; d < N_DICTS; d++)
    if (values[d] < 0)
      {
        too_many (error, dict_names[d]);
        return FALSE;
      }
  if (month < 0)
    {
      too_many (error, "close_month");
      return FALSE;
    }

  rec->live = sqlite3_column_int (stmt, 1) == 0;
  rec->volume = sqlite3_column_int64 (stmt, 2);
  rec->probability = CLAMP (sqlite3_column_int (stmt, 3), 0, 100);
  rec->month = month;
  rec->owner = values[D_OWNER];
  rec->status = values[D_STATUS];
  rec->phase = values[D_PHASE];
  rec->unit = values[D_UNIT];
  rec->type = values[D_TYPE];
  rec->currency = values[D_CURRENCY];

  return TRUE;
}

/* Reads every lead that is not deleted. Reader lock held, in a read
 * transaction. */
static Summary *
summary_build (sqlite3       *db,
               GCancellable  *cancellable,
               GError       **error)
{
  Summary *summary = summary_new ();
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _crm_store_prepare_reader (db, LEAD_BUILD, params, error);
  if (stmt == NULL)
    {
      summary_free (summary);
      return NULL;
    }

  _crm_store_set_cancellable (db, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Record *rec = summary_insert (summary, summary->len, sqlite3_column_int64 (stmt, 0));

      if (!summary_fill (summary, rec, stmt, error))
        {
          rc = SQLITE_ABORT;
          break;
        }
    }
  _crm_store_set_cancellable (db, NULL);
  sqlite3_finalize (stmt);

  if (rc == SQLITE_ABORT || !_crm_store_finish_step (db, rc, cancellable, error))
    {
      summary_free (summary);
      return NULL;
    }

  return summary;
}

/* Re-reads @ids into the summary. Reader lock held, in a read
 * transaction. */
static gboolean
summary_update (Summary       *summary,
                sqlite3       *db,
                GArray        *ids,
                GError       **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;

  stmt = _crm_store_prepare_reader (db, LEAD_SELECT " WHERE l.id = ?", params, error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      gssize slot = summary_find (summary, id);
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);

      if (rc == SQLITE_ROW)
        {
          Record *rec = slot >= 0 ? &summary->recs[slot] : summary_insert (summary, -slot - 1, id);

          if (!summary_fill (summary, rec, stmt, error))
            {
              sqlite3_finalize (stmt);
              return FALSE;
            }
        }
      else if (rc == SQLITE_DONE)
        {
          if (slot >= 0)
            summary->recs[slot].live = 0;
        }
      else
        {
          _crm_store_set_error (error, db, rc, _("the statistics"));
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }

  sqlite3_finalize (stmt);
  return TRUE;
}

/* ------------------------------------------------------------ the notes */

static void
note_ids (Stats        *stats,
          const gint64 *ids,
          guint         n_ids)
{
  g_mutex_lock (&stats->lock);
  /* nothing to keep current before the first statistic */
  if (stats->used)
    {
      if (stats->rebuild || stats->pending->len + n_ids > MAX_PENDING)
        {
          stats->rebuild = TRUE;
          g_array_set_size (stats->pending, 0);
        }
      else
        g_array_append_vals (stats->pending, ids, n_ids);
    }
  g_mutex_unlock (&stats->lock);
}

static void
on_lead_changed_cb (CrmStore *self,
                    gint64    id,
                    gpointer  user_data)
{
  _crm_store_stats_note_lead (self, id);
}

static void
on_leads_changed_cb (CrmStore *self,
                     gpointer  user_data)
{
  Stats *stats = self->stats;

  if (stats->noted_many)
    {
      stats->noted_many = FALSE;
      return;
    }
  _crm_store_stats_note_all (self);
}

/* --------------------------------------------------------------- context */

static void
key_info_free (gpointer data)
{
  KeyInfo *info = data;

  g_free (info->key);
  g_free (info->label);
  g_free (info);
}

static void
context_clear (Context *ctx)
{
  g_clear_pointer (&ctx->rates, g_hash_table_unref);
  g_clear_pointer (&ctx->key_values[0], g_ptr_array_unref);
  g_clear_pointer (&ctx->key_values[1], g_ptr_array_unref);
}

/* The company currency, its rates and the status and phase key values,
 * from the reader's snapshot. */
static gboolean
context_read (Context       *ctx,
              sqlite3       *db,
              GError       **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_strlcpy (ctx->currency, "EUR", sizeof ctx->currency);
  stmt = _crm_store_prepare_reader (db, "SELECT value FROM meta WHERE key = 'default_currency'", params, error);
  if (stmt == NULL)
    return FALSE;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW && crm_currency_is_valid (_crm_store_column_text (stmt, 0)))
    g_strlcpy (ctx->currency, _crm_store_column_text (stmt, 0), sizeof ctx->currency);
  sqlite3_finalize (stmt);

  ctx->rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_ptr_array_add (params, ctx->currency);
  stmt = _crm_store_prepare_reader (db, "SELECT currency, rate_micros FROM exchange_rate WHERE base = ?", params, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rate = sqlite3_column_int64 (stmt, 1);

      if (rate > 0)
        g_hash_table_insert (ctx->rates, g_strdup (_crm_store_column_text (stmt, 0)),
                             g_memdup2 (&rate, sizeof rate));
    }
  sqlite3_finalize (stmt);
  if (!_crm_store_finish_step (db, rc, NULL, error))
    return FALSE;

  g_ptr_array_set_size (params, 0);
  ctx->key_values[0] = g_ptr_array_new_with_free_func (key_info_free);
  ctx->key_values[1] = g_ptr_array_new_with_free_func (key_info_free);
  stmt = _crm_store_prepare_reader (db,
    "SELECT kind, key, label, status_class, active FROM key_value "
    "WHERE kind IN ('status', 'phase') ORDER BY kind, position, id", params, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KeyInfo *info = g_new0 (KeyInfo, 1);

      info->key = g_strdup (_crm_store_column_text (stmt, 1));
      info->label = g_strdup (_crm_store_column_text (stmt, 2));
      info->status_class = sqlite3_column_int (stmt, 3);
      info->active = sqlite3_column_int (stmt, 4);
      g_ptr_array_add (ctx->key_values[g_str_equal (_crm_store_column_text (stmt, 0), "status") ? 0 : 1], info);
    }
  sqlite3_finalize (stmt);

  return _crm_store_finish_step (db, rc, NULL, error);
}

static const KeyInfo *
context_key (const Context *ctx,
             guint          kind,
             const char    *key)
{
  GPtrArray *list = ctx->key_values[kind];

  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (((KeyInfo *) g_ptr_array_index (list, i))->key, key))
      return g_ptr_array_index (list, i);

  return NULL;
}

/* ------------------------------------------------------------ the filter */

/* Whether a lead with status @key passes the filter's status conditions
 * (class, single key, set), as append_status_conditions () has them */
static gboolean
status_admitted (const Context       *ctx,
                 const CrmLeadFilter *filter,
                 const char          *key)
{
  if (filter->status_class != CRM_STATUS_FILTER_ANY)
    {
      const KeyInfo *info = context_key (ctx, 0, key);
      int wanted = filter->status_class == CRM_STATUS_FILTER_OPEN ? CRM_STATUS_CLASS_OPEN :
                   filter->status_class == CRM_STATUS_FILTER_WON ? CRM_STATUS_CLASS_WON : CRM_STATUS_CLASS_LOST;

      if (info == NULL || info->status_class != wanted)
        return FALSE;
    }
  if (filter->status != NULL && *filter->status != '\0' && !g_str_equal (filter->status, key))
    return FALSE;
  if (crm_lead_filter_has_statuses (filter) &&
      !g_strv_contains ((const char * const *) filter->statuses, key))
    return FALSE;

  return TRUE;
}

static gboolean
month_admitted (const CrmLeadFilter *filter,
                CrmMonth             from,
                CrmMonth             to,
                CrmMonth             month)
{
  if (month == CRM_MONTH_NONE)
    return filter->close_from == CRM_MONTH_NONE && filter->close_to == CRM_MONTH_NONE;

  return !filter->no_close_month &&
         (filter->close_from == CRM_MONTH_NONE || month >= filter->close_from) &&
         (filter->close_to == CRM_MONTH_NONE || month <= filter->close_to) &&
         (from == CRM_MONTH_NONE || month >= from) &&
         (to == CRM_MONTH_NONE || month <= to);
}

/* -1: any value; else the one dictionary index allowed (G_MAXINT: none) */
static int
single_value (const Dict *dict,
              const char *value)
{
  int index;

  if (value == NULL || *value == '\0')
    return -1;

  index = dict_lookup (dict, value);
  return index >= 0 ? index : G_MAXINT;
}

/* The sorted ids of the leads of a contact or of a company's people */
static GArray *
contact_lead_ids (sqlite3       *db,
                  gint64         contact_id,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _crm_store_prepare_reader (db,
    "SELECT l.id FROM lead l WHERE l.deleted = 0 AND l.contact_id IN "
    "(SELECT id FROM contact WHERE id = ?1 OR company_id = ?1) ORDER BY l.id", params, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, contact_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  if (!_crm_store_finish_step (db, rc, cancellable, error))
    return NULL;

  return g_steal_pointer (&ids);
}

/* The ids in both sorted arrays */
static GArray *
intersect_ids (GArray *a,
               GArray *b)
{
  GArray *both = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i = 0, j = 0;

  while (i < a->len && j < b->len)
    {
      gint64 x = g_array_index (a, gint64, i), y = g_array_index (b, gint64, j);

      if (x < y)
        i++;
      else if (x > y)
        j++;
      else
        {
          g_array_append_val (both, x);
          i++;
          j++;
        }
    }

  return both;
}

/* ------------------------------------------------------------- the scan */

typedef struct {
  guint8   *status_ok;        /* per status index */
  guint8   *month_ok;         /* per month index */
  int       owner, phase, unit, type;
  gsize     group_offset;     /* of the grouping's index in a Record */
  guint     n_currencies;
  Acc      *acc;              /* [group × n_currencies + currency] */
} Scan;

/* Adds @recs[0 … n) that pass the filter. Everything the loop reads of
 * @scan is copied into locals first: the stores into the accumulators
 * then cannot make the compiler read it again for every lead. */
static void
scan_records (const Scan   *scan,
              const Record *recs,
              gsize         n)
{
  const guint8 *const status_ok = scan->status_ok;
  const guint8 *const month_ok = scan->month_ok;
  const int owner = scan->owner, phase = scan->phase, unit = scan->unit, type = scan->type;
  const gsize group_offset = scan->group_offset;
  const guint n_currencies = scan->n_currencies;
  Acc *const accs = scan->acc;

  for (gsize i = 0; i < n; i++)
    {
      const Record *rec = &recs[i];
      guint group;
      Acc *acc;

      if (!rec->live ||
          !status_ok[rec->status] ||
          !month_ok[rec->month] ||
          (owner >= 0 && rec->owner != owner) ||
          (phase >= 0 && rec->phase != phase) ||
          (unit >= 0 && rec->unit != unit) ||
          (type >= 0 && rec->type != type))
        continue;

      group = *(const guint16 *) ((const char *) rec + group_offset);
      acc = &accs[group * n_currencies + rec->currency];
      acc->count++;
      acc->volume += rec->volume;
      acc->volume_times_probability += (__int128) rec->volume * rec->probability;
    }
}

/* --------------------------------------------------------- the figures */

static __int128
power_of_ten (guint exponent)
{
  __int128 p = 1;

  while (exponent-- > 0)
    p *= 10;

  return p;
}

/* @numerator / @denominator rounded half away from zero */
static __int128
divide_round (__int128 numerator,
              __int128 denominator)
{
  __int128 q = numerator / denominator;
  __int128 r = numerator % denominator;

  if (r < 0)
    r = -r;
  if (2 * r >= denominator)
    q += numerator < 0 ? -1 : 1;

  return q;
}

/* How the accumulators of one currency enter a fraction over
 * 10^6 · 10^E: multiplied by rate · 10^e_company · 10^(E − e). */
typedef struct {
  gboolean  converted;
  __int128  factor;
} Conversion;

typedef struct {
  gint64   count;
  __int128 numerator;           /* absolute, over the denominator */
  __int128 weighted_numerator;  /* weighted, over 100 × the denominator */
  gboolean overflow;
} Fraction;

static void
fraction_add (Fraction         *f,
              const Acc        *acc,
              const Conversion *conv)
{
  __int128 a, w;

  if (!conv->converted || acc->count == 0)
    return;

  f->count += acc->count;
  if (__builtin_mul_overflow (acc->volume, conv->factor, &a) ||
      __builtin_mul_overflow (acc->volume_times_probability, conv->factor, &w) ||
      __builtin_add_overflow (f->numerator, a, &f->numerator) ||
      __builtin_add_overflow (f->weighted_numerator, w, &f->weighted_numerator))
    f->overflow = TRUE;
}

static gboolean
fraction_to_row (const Fraction  *f,
                 __int128         denominator,
                 CrmStatsRow     *row,
                 GError         **error)
{
  __int128 absolute, weighted;

  if (f->overflow)
    goto overflow;

  absolute = divide_round (f->numerator, denominator);
  weighted = divide_round (f->weighted_numerator, denominator * 100);
  if (absolute > G_MAXINT64 || weighted > G_MAXINT64 || absolute < G_MININT64 || weighted < G_MININT64)
    goto overflow;

  row->count = f->count;
  row->absolute_minor = (gint64) absolute;
  row->weighted_minor = (gint64) weighted;
  return TRUE;

overflow:
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
               _("The statistics are too large to convert exactly"));
  return FALSE;
}

static gboolean
group_has_leads (const Scan *scan,
                 guint       group)
{
  for (guint c = 0; c < scan->n_currencies; c++)
    if (scan->acc[group * scan->n_currencies + c].count > 0)
      return TRUE;

  return FALSE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_months (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const Summary *summary = user_data;
  CrmMonth x = g_array_index (summary->months, CrmMonth, *(const guint *) a);
  CrmMonth y = g_array_index (summary->months, CrmMonth, *(const guint *) b);

  return x < y ? -1 : x > y;
}

/* The groups that make rows, in display order; G_MAXUINT: a group with
 * no lead in the summary (an empty month, a key value nobody uses) */
static void
row_groups (const Summary       *summary,
            const Context       *ctx,
            const Scan          *scan,
            CrmStatsBy           by,
            const CrmLeadFilter *filter,
            CrmMonth             from,
            CrmMonth             to,
            GArray              *groups,
            GPtrArray           *keys)
{
  if (by == CRM_STATS_BY_MONTH)
    {
      if (from != CRM_MONTH_NONE && to != CRM_MONTH_NONE)
        {
          for (CrmMonth m = from; m <= to; m = crm_month_add (m, 1))
            {
              gpointer found = g_hash_table_lookup (summary->month_index, GINT_TO_POINTER (m));
              guint group = found != NULL ? (guint) GPOINTER_TO_INT (found) : G_MAXUINT;

              g_array_append_val (groups, group);
              g_ptr_array_add (keys, crm_month_to_iso (m));
            }
        }
      else
        {
          g_autoptr(GArray) used = g_array_new (FALSE, FALSE, sizeof (guint));

          for (guint g = 1; g < summary->months->len; g++)
            if (group_has_leads (scan, g))
              g_array_append_val (used, g);
          g_array_sort_with_data (used, compare_months, (gpointer) summary);
          for (guint i = 0; i < used->len; i++)
            {
              guint group = g_array_index (used, guint, i);

              g_array_append_val (groups, group);
              g_ptr_array_add (keys, crm_month_to_iso (g_array_index (summary->months, CrmMonth, group)));
            }
        }

      if (month_admitted (filter, from, to, CRM_MONTH_NONE))
        {
          guint none = 0;

          g_array_append_val (groups, none);
          g_ptr_array_add (keys, g_strdup (""));
        }
    }
  else
    {
      guint kind = by == CRM_STATS_BY_STATUS ? 0 : 1;
      const Dict *dict = &summary->dicts[by == CRM_STATS_BY_STATUS ? D_STATUS : D_PHASE];
      g_autofree guint8 *listed = g_malloc0 (dict_size (dict) + 1);
      g_autoptr(GPtrArray) unknown = g_ptr_array_new ();
      GPtrArray *list = ctx->key_values[kind];

      /* the key values in order: the active ones the filter admits, and
       * any (also deactivated) that has leads */
      for (guint i = 0; i < list->len; i++)
        {
          const KeyInfo *info = g_ptr_array_index (list, i);
          int index = dict_lookup (dict, info->key);
          guint group = index >= 0 ? (guint) index : G_MAXUINT;
          gboolean admitted = info->active &&
            (by == CRM_STATS_BY_STATUS ? status_admitted (ctx, filter, info->key)
                                       : (filter->phase == NULL || *filter->phase == '\0' ||
                                          g_str_equal (filter->phase, info->key)));

          if (index >= 0)
            listed[index] = TRUE;
          if (admitted || (group != G_MAXUINT && group_has_leads (scan, group)))
            {
              g_array_append_val (groups, group);
              g_ptr_array_add (keys, g_strdup (info->key));
            }
        }

      /* keys no key value defines (yet): by key */
      for (guint g = 0; g < dict_size (dict); g++)
        if (!listed[g] && group_has_leads (scan, g))
          g_ptr_array_add (unknown, (gpointer) dict_string (dict, g));
      g_ptr_array_sort (unknown, compare_strings);
      for (guint i = 0; i < unknown->len; i++)
        {
          guint group = dict_lookup (dict, g_ptr_array_index (unknown, i));

          g_array_append_val (groups, group);
          g_ptr_array_add (keys, g_strdup (g_ptr_array_index (unknown, i)));
        }
    }
}

/* Builds the result from the accumulators */
static CrmStats *
make_stats (const Summary       *summary,
            const Context       *ctx,
            const Scan          *scan,
            CrmStatsBy           by,
            const CrmLeadFilter *filter,
            CrmMonth             from,
            CrmMonth             to,
            GError             **error)
{
  g_autoptr(CrmStats) stats = crm_stats_new (by, ctx->currency);
  g_autofree Conversion *conv = g_new0 (Conversion, scan->n_currencies);
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  const Dict *currencies = &summary->dicts[D_CURRENCY];
  guint n_groups = by == CRM_STATS_BY_STATUS ? dict_size (&summary->dicts[D_STATUS])
                 : by == CRM_STATS_BY_PHASE ? dict_size (&summary->dicts[D_PHASE])
                 : summary->months->len;
  guint company_exponent = crm_currency_exponent (ctx->currency);
  guint max_exponent = company_exponent;
  __int128 denominator;
  Fraction total = { 0 };
  CrmStatsRow row = { 0 };

  for (guint c = 0; c < scan->n_currencies; c++)
    max_exponent = MAX (max_exponent, crm_currency_exponent (dict_string (currencies, c)));
  denominator = CRM_RATE_SCALE * power_of_ten (max_exponent);

  /* the factor of each currency, and the leads that cannot be converted
   * (by currency code) */
  g_ptr_array_extend (codes, currencies->strings, NULL, NULL);
  g_ptr_array_sort (codes, compare_strings);
  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      guint c = dict_lookup (currencies, code);
      const gint64 *rate = g_hash_table_lookup (ctx->rates, code);

      if (g_str_equal (code, ctx->currency) || rate != NULL)
        {
          conv[c].converted = TRUE;
          conv[c].factor = (__int128) (rate != NULL && !g_str_equal (code, ctx->currency) ? *rate : CRM_RATE_SCALE) *
                           power_of_ten (company_exponent) *
                           power_of_ten (max_exponent - crm_currency_exponent (code));
        }
      else
        {
          CrmStatsUnconverted entry = { { 0 } };
          __int128 absolute = 0;

          for (guint g = 0; g < n_groups; g++)
            {
              const Acc *acc = &scan->acc[g * scan->n_currencies + c];

              entry.count += acc->count;
              absolute += acc->volume;
            }
          if (entry.count == 0)
            continue;
          g_strlcpy (entry.currency, code, sizeof entry.currency);
          entry.absolute_minor = absolute > G_MAXINT64 ? G_MAXINT64 : (gint64) absolute;
          crm_stats_append_unconverted (stats, &entry);
        }
    }

  row_groups (summary, ctx, scan, by, filter, from, to, groups, keys);

  for (guint i = 0; i < groups->len; i++)
    {
      guint group = g_array_index (groups, guint, i);
      const char *key = g_ptr_array_index (keys, i);
      Fraction f = { 0 };
      g_autofree char *label = NULL;

      if (group != G_MAXUINT)
        for (guint c = 0; c < scan->n_currencies; c++)
          fraction_add (&f, &scan->acc[group * scan->n_currencies + c], &conv[c]);

      row.key = (char *) key;
      row.month = CRM_MONTH_NONE;
      if (by == CRM_STATS_BY_MONTH)
        {
          if (*key == '\0')
            label = g_strdup (_("No close month"));
          else
            {
              crm_month_parse (key, &row.month, NULL);
              label = crm_month_format (row.month);
            }
        }
      else
        {
          const KeyInfo *info = context_key (ctx, by == CRM_STATS_BY_STATUS ? 0 : 1, key);

          label = g_strdup (info != NULL ? info->label : key);
        }
      row.label = label;

      if (!fraction_to_row (&f, denominator, &row, error))
        return NULL;
      crm_stats_append_row (stats, &row);
    }

  /* the total: every converted lead the scan counted, rounded once */
  for (guint g = 0; g < n_groups; g++)
    for (guint c = 0; c < scan->n_currencies; c++)
      fraction_add (&total, &scan->acc[g * scan->n_currencies + c], &conv[c]);
  row.key = (char *) "";
  row.label = (char *) _("Total");
  row.month = CRM_MONTH_NONE;
  if (!fraction_to_row (&total, denominator, &row, error))
    return NULL;
  crm_stats_set_total (stats, &row);

  return g_steal_pointer (&stats);
}

/* -------------------------------------------------------- the statistic */

/* The summary, current as of the reader's read transaction that this
 * starts. Reader lock held; the caller ends the transaction. */
static Summary *
current_summary_locked (CrmStore      *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  Stats *stats = self->stats;
  g_autoptr(GArray) noted = NULL;
  gboolean rebuild;
  gint64 writer_version = _crm_store_data_version (self->db);

  /* take the notes before the snapshot: every noted commit is in it */
  g_mutex_lock (&stats->lock);
  stats->used = TRUE;
  noted = g_steal_pointer (&stats->pending);
  stats->pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  rebuild = stats->rebuild || stats->summary == NULL ||
            stats->summary->writer_version != writer_version;
  stats->rebuild = FALSE;
  g_mutex_unlock (&stats->lock);

  sqlite3_exec (self->reader, "BEGIN", NULL, NULL, NULL);

  if (rebuild)
    {
      Summary *summary = summary_build (self->reader, cancellable, error);

      if (summary == NULL)
        {
          /* build again next time */
          g_mutex_lock (&stats->lock);
          stats->rebuild = TRUE;
          g_mutex_unlock (&stats->lock);
          return NULL;
        }

      summary->writer_version = writer_version;
      summary_free (stats->summary);
      stats->summary = summary;
    }
  else if (noted->len > 0 && !summary_update (stats->summary, self->reader, noted, error))
    {
      g_mutex_lock (&stats->lock);
      stats->rebuild = TRUE;
      g_mutex_unlock (&stats->lock);
      return NULL;
    }

  return stats->summary;
}

static CrmStats *
query_stats_locked (CrmStore             *self,
                    CrmStatsBy            by,
                    const CrmLeadFilter  *filter,
                    CrmMonth              from,
                    CrmMonth              to,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_autoptr(GArray) only = NULL;
  g_autofree guint8 *status_ok = NULL;
  g_autofree guint8 *month_ok = NULL;
  g_autofree Acc *acc = NULL;
  g_autofree char *fts = NULL;
  g_autofree char *owner = NULL;
  Context ctx = { { 0 } };
  Summary *summary;
  Scan scan;
  guint n_groups;
  CrmStats *result = NULL;

  summary = current_summary_locked (self, cancellable, error);
  if (summary == NULL || !context_read (&ctx, self->reader, error))
    goto out;

  /* the leads a search or a contact allows, sorted by id */
  if (filter->search != NULL && (fts = _crm_store_fts_query (filter->search)) != NULL &&
      (only = _crm_store_fts_rowids (self->reader, fts, cancellable, error)) == NULL)
    goto out;
  if (filter->contact_id != 0)
    {
      g_autoptr(GArray) of_contact = contact_lead_ids (self->reader, filter->contact_id, cancellable, error);

      if (of_contact == NULL)
        goto out;
      if (only == NULL)
        only = g_steal_pointer (&of_contact);
      else
        {
          GArray *both = intersect_ids (only, of_contact);

          g_array_unref (only);
          only = both;
        }
    }

  /* the filter as lookup tables */
  status_ok = g_malloc0 (dict_size (&summary->dicts[D_STATUS]) + 1);
  for (guint s = 0; s < dict_size (&summary->dicts[D_STATUS]); s++)
    status_ok[s] = status_admitted (&ctx, filter, dict_string (&summary->dicts[D_STATUS], s));
  month_ok = g_malloc0 (summary->months->len);
  for (guint m = 0; m < summary->months->len; m++)
    month_ok[m] = month_admitted (filter, from, to, g_array_index (summary->months, CrmMonth, m));

  owner = filter->owner != NULL ? g_ascii_strdown (filter->owner, -1) : NULL;
  scan.status_ok = status_ok;
  scan.month_ok = month_ok;
  scan.owner = single_value (&summary->dicts[D_OWNER], owner);
  scan.phase = single_value (&summary->dicts[D_PHASE], filter->phase);
  scan.unit = single_value (&summary->dicts[D_UNIT], filter->unit);
  scan.type = single_value (&summary->dicts[D_TYPE], filter->lead_type);
  scan.group_offset = by == CRM_STATS_BY_STATUS ? G_STRUCT_OFFSET (Record, status)
                    : by == CRM_STATS_BY_PHASE ? G_STRUCT_OFFSET (Record, phase)
                    : G_STRUCT_OFFSET (Record, month);
  scan.n_currencies = dict_size (&summary->dicts[D_CURRENCY]);
  n_groups = by == CRM_STATS_BY_STATUS ? dict_size (&summary->dicts[D_STATUS])
           : by == CRM_STATS_BY_PHASE ? dict_size (&summary->dicts[D_PHASE])
           : summary->months->len;
  acc = g_new0 (Acc, (gsize) MAX (n_groups, 1) * MAX (scan.n_currencies, 1));
  scan.acc = acc;

  if (only == NULL)
    {
      /* in slices, to notice a cancellation */
      for (gsize i = 0; i < summary->len; i += SCAN_SLICE)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto out;
          scan_records (&scan, summary->recs + i, MIN (SCAN_SLICE, summary->len - i));
        }
    }
  else
    {
      gsize slot = 0;

      /* both sorted: one walk */
      for (guint i = 0; i < only->len && slot < summary->len; i++)
        {
          gint64 id = g_array_index (only, gint64, i);

          while (slot < summary->len && summary->ids[slot] < id)
            slot++;
          if (slot < summary->len && summary->ids[slot] == id)
            scan_records (&scan, &summary->recs[slot], 1);
        }
    }

  result = make_stats (summary, &ctx, &scan, by, filter, from, to, error);

out:
  context_clear (&ctx);
  sqlite3_exec (self->reader, "COMMIT", NULL, NULL, NULL);
  return result;
}

static gboolean
check_range (CrmMonth   from,
             CrmMonth   to,
             GError   **error)
{
  if (from != CRM_MONTH_NONE && to != CRM_MONTH_NONE && to < from)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("to: the month range ends before it begins"));
      return FALSE;
    }

  return TRUE;
}

static void
stats_task_free (gpointer data)
{
  StatsTask *st = data;

  crm_lead_filter_free (st->filter);
  g_free (st);
}

static void
stats_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StatsTask *st = task_data;
  GError *error = NULL;
  CrmStats *stats;

  stats = crm_store_query_stats (source_object, st->by, st->filter, st->from, st->to, cancellable, &error);
  if (stats == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stats, g_object_unref);
}

/* ---------------------------------------------------------------- private */

void
_crm_store_stats_init (CrmStore *self)
{
  Stats *stats = g_new0 (Stats, 1);

  g_mutex_init (&stats->lock);
  stats->pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->stats = stats;

  /* connected first, so the note precedes every other handler */
  g_signal_connect (self, "lead-changed", G_CALLBACK (on_lead_changed_cb), NULL);
  g_signal_connect (self, "leads-changed", G_CALLBACK (on_leads_changed_cb), NULL);
}

void
_crm_store_stats_clear (CrmStore *self)
{
  Stats *stats = self->stats;

  if (stats == NULL)
    return;

  summary_free (stats->summary);
  g_array_unref (stats->pending);
  g_mutex_clear (&stats->lock);
  g_free (stats);
  self->stats = NULL;
}

/* Lead @id changed (or was created, deleted, restored): the next
 * statistic re-reads it. Call after the commit. */
void
_crm_store_stats_note_lead (CrmStore *self,
                            gint64    id)
{
  note_ids (self->stats, &id, 1);
}

void
_crm_store_stats_note_leads (CrmStore     *self,
                             const gint64 *ids,
                             guint         n_ids)
{
  note_ids (self->stats, ids, n_ids);
}

/* The leads of @ids changed and one leads-changed, emitted right after
 * this, says so to everyone else: the statistics re-read just these
 * (a pulled sync page) instead of rebuilding the summary. */
void
_crm_store_stats_note_many (CrmStore     *self,
                            const gint64 *ids,
                            guint         n_ids)
{
  Stats *stats = self->stats;

  note_ids (stats, ids, n_ids);
  stats->noted_many = TRUE;
}

void
_crm_store_stats_note_all (CrmStore *self)
{
  Stats *stats = self->stats;

  g_mutex_lock (&stats->lock);
  stats->rebuild = TRUE;
  g_array_set_size (stats->pending, 0);
  g_mutex_unlock (&stats->lock);
}

/* ----------------------------------------------------------------- public */

/**
 * crm_store_query_stats:
 * @by: the grouping
 * @filter: (nullable): which leads, as for the lead list
 * @from: the first close month counted, or CRM_MONTH_NONE
 * @to: the last close month counted, or CRM_MONTH_NONE
 *
 * One statistic over the leads @filter lets through whose close month
 * lies in @from … @to; leads without a close month count too (in the
 * "No close month" row by month) unless the filter's own close-month
 * range excludes them. By month with both @from and @to, the rows are
 * exactly the months of the range, empty ones included. Safe to call
 * from any thread.
 *
 * Returns: (transfer full): the statistic, or %NULL with @error set
 */
CrmStats *
crm_store_query_stats (CrmStore             *self,
                       CrmStatsBy            by,
                       const CrmLeadFilter  *filter,
                       CrmMonth              from,
                       CrmMonth              to,
                       GCancellable         *cancellable,
                       GError              **error)
{
  g_autoptr(CrmLeadFilter) any = NULL;
  CrmStats *stats;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (by <= CRM_STATS_BY_MONTH, NULL);

  if (!check_range (from, to, error))
    return NULL;
  if (filter == NULL)
    filter = any = crm_lead_filter_new ();

  g_mutex_lock (&self->reader_lock);
  stats = query_stats_locked (self, by, filter, from, to, cancellable, error);
  g_mutex_unlock (&self->reader_lock);

  return stats;
}

void
crm_store_query_stats_async (CrmStore             *self,
                             CrmStatsBy            by,
                             const CrmLeadFilter  *filter,
                             CrmMonth              from,
                             CrmMonth              to,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  StatsTask *st;

  g_return_if_fail (CRM_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_store_query_stats_async);

  st = g_new0 (StatsTask, 1);
  st->by = by;
  st->filter = filter != NULL ? crm_lead_filter_copy (filter) : crm_lead_filter_new ();
  st->from = from;
  st->to = to;
  g_task_set_task_data (task, st, stats_task_free);
  g_task_run_in_thread (task, stats_thread);
}

CrmStats *
crm_store_query_stats_finish (CrmStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------ exchange rates */

static gboolean
normalize_currency (CrmStore    *self,
                    const char  *currency,
                    char         out[4],
                    GError     **error)
{
  g_autofree char *upper = g_ascii_strup (currency != NULL ? currency : "", -1);

  if (!crm_currency_is_valid (upper))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_CURRENCY,
                   _("currency: “%s” is not an ISO 4217 currency code"), currency != NULL ? currency : "");
      return FALSE;
    }
  if (g_str_equal (upper, crm_store_get_default_currency (self)))
    {
      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_CURRENCY,
                   _("currency: %s is the company currency and needs no rate"), upper);
      return FALSE;
    }

  g_strlcpy (out, upper, 4);
  return TRUE;
}

/* Runs @sql with the company currency, @code and (unless 0) @rate_micros
 * and the time as parameters, in a transaction; rates-changed follows */
static gboolean
write_rate (CrmStore    *self,
            const char  *sql,
            const char  *code,
            gint64       rate_micros,
            GError     **error)
{
  sqlite3_stmt *stmt;

  if (!_crm_store_begin (self, error))
    return FALSE;
  stmt = _crm_store_prepare (self, sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, crm_store_get_default_currency (self), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
  if (rate_micros != 0)
    {
      sqlite3_bind_int64 (stmt, 3, rate_micros);
      sqlite3_bind_int64 (stmt, 4, _crm_store_now ());
    }
  if (!_crm_store_step_done (self, stmt, error))
    goto fail;
  if (!_crm_store_commit (self, error))
    return FALSE;

  g_signal_emit (self, _crm_store_signals[SIGNAL_RATES_CHANGED], 0);
  return TRUE;

fail:
  _crm_store_rollback (self);
  return FALSE;
}

/**
 * crm_store_list_rates:
 *
 * Returns: (transfer full) (element-type CrmExchangeRate): the rates for
 *   the company currency, by currency code
 */
GArray *
crm_store_list_rates (CrmStore *self)
{
  GArray *rates = g_array_new (FALSE, TRUE, sizeof (CrmExchangeRate));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CRM_IS_STORE (self), rates);

  stmt = _crm_store_prepare (self,
    "SELECT currency, rate_micros FROM exchange_rate WHERE base = ? ORDER BY currency", NULL);
  if (stmt == NULL)
    return rates;

  sqlite3_bind_text (stmt, 1, crm_store_get_default_currency (self), -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CrmExchangeRate rate = { { 0 } };

      g_strlcpy (rate.currency, _crm_store_column_text (stmt, 0), sizeof rate.currency);
      rate.rate_micros = sqlite3_column_int64 (stmt, 1);
      g_array_append_val (rates, rate);
    }
  sqlite3_reset (stmt);

  return rates;
}

/**
 * crm_store_get_rate:
 *
 * Returns: the rate of @currency × 10^6 (CRM_RATE_SCALE for the company
 *   currency itself), or 0 when it has none
 */
gint64
crm_store_get_rate (CrmStore   *self,
                    const char *currency)
{
  g_autofree char *upper = NULL;
  sqlite3_stmt *stmt;
  gint64 rate = 0;

  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  upper = g_ascii_strup (currency != NULL ? currency : "", -1);
  if (g_str_equal (upper, crm_store_get_default_currency (self)))
    return CRM_RATE_SCALE;

  stmt = _crm_store_prepare (self, "SELECT rate_micros FROM exchange_rate WHERE base = ? AND currency = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, crm_store_get_default_currency (self), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rate = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return rate;
}

/**
 * crm_store_set_rate:
 * @currency: an ISO 4217 code other than the company currency
 * @rate_micros: company-currency units per unit of @currency × 10^6
 *   (see crm_money_parse_rate ())
 *
 * Sets the rate the statistics convert @currency with.
 */
gboolean
crm_store_set_rate (CrmStore    *self,
                    const char  *currency,
                    gint64       rate_micros,
                    GError     **error)
{
  char code[4];

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!normalize_currency (self, currency, code, error))
    return FALSE;
  if (rate_micros <= 0 || rate_micros > CRM_RATE_MAX)
    {
      g_autofree char *text = crm_money_format_rate (rate_micros, '.');

      g_set_error (error, CRM_CORE_ERROR, CRM_CORE_ERROR_INVALID_AMOUNT,
                   _("rate: %s is not a rate greater than 0 and at most 1000000"), text);
      return FALSE;
    }

  return write_rate (self,
    "INSERT INTO exchange_rate (base, currency, rate_micros, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (base, currency) DO UPDATE SET rate_micros = excluded.rate_micros, "
    "updated_at = excluded.updated_at", code, rate_micros, error);
}

gboolean
crm_store_remove_rate (CrmStore    *self,
                       const char  *currency,
                       GError     **error)
{
  char code[4];

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!normalize_currency (self, currency, code, error))
    return FALSE;
  if (crm_store_get_rate (self, code) == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("currency: %s has no exchange rate"), code);
      return FALSE;
    }

  return write_rate (self, "DELETE FROM exchange_rate WHERE base = ? AND currency = ?", code, 0, error);
}
