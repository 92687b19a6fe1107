/* crm-store-query.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Filtered, sorted lead queries and their sums, in SQL on indexes and
 * FTS5, on the reader connection so that worker threads can run them
 * while the main thread writes. A million leads yield a million ids
 * (8 MB), never a million objects.
 *
 * How each query stays fast at a million leads:
 * - Without conditions but the status (the app's default list: the open
 *   leads), the ids come from a scan of the sort column's index, which
 *   holds the id and the status, and the sums from the table lead_sum
 *   that triggers keep (see 001-initial.sql); crm_store_query_totals ()
 *   still adds them up, from the covering index lead_sums.
 * - With other conditions, the ids and the sums come from one pass over
 *   the rows that match: the sums are added up here, per currency, exactly
 *   as the SQL sums would be.
 * - A search runs its FTS5 query once. Few matches are handed to SQL as a
 *   JSON array and looked up by id in the narrow index lead_search (not in
 *   the wide table rows) when it holds the sort key; many matches (the
 *   first keystrokes) become a bitmap that an index scan in sort order
 *   filters.
 */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-store-private.h"

/* A search with at least this many matches, and at least a tenth of the
 * leads, is joined by bitmap (see find_matches ()). */
#define MANY_MATCHES 20000
#define MAX_BITMAP_ID (G_GINT64_CONSTANT (1) << 27)   /* a 16 MB bitmap at most */

typedef struct _QueryData QueryData;

/* What a query task reads inside its snapshot (reader lock held). */
typedef void (*QueryReadFunc) (CrmStore      *self,
                               QueryData     *qd,
                               GCancellable  *cancellable,
                               GError       **error);

struct _QueryData {
  QueryReadFunc  read;
  CrmLeadFilter *filter;
  GArray        *base;          /* _crm_store_refine_async (): the earlier result,
                                 * _crm_store_reuse_async (): the kept result */
  CrmLeadTotals *base_totals;   /* _crm_store_reuse_async (): the kept sums */
  gint64         base_version;  /* PRAGMA data_version that base was read at */
  GArray        *ids;
  CrmLeadTotals *totals;
  gint64         data_version;  /* PRAGMA data_version of the snapshot read */
  gboolean       reused;        /* base handed back: the database is unchanged */
};

/* One currency's running sums in query_ids_locked () */
typedef struct {
  char   currency[4];
  gint64 count;
  gint64 absolute_minor;
  gint64 volume_times_probability;
} Sum;

static void
query_data_free (gpointer data)
{
  QueryData *qd = data;

  crm_lead_filter_free (qd->filter);
  g_clear_pointer (&qd->base, g_array_unref);
  g_clear_pointer (&qd->base_totals, crm_lead_totals_free);
  g_clear_pointer (&qd->ids, g_array_unref);
  g_clear_pointer (&qd->totals, crm_lead_totals_free);
  g_free (qd);
}

/* "mül gmb" -> "\"mül\"* \"gmb\"*": every word as a prefix, all required. */
char *
_crm_store_fts_query (const char *search)
{
  g_auto(GStrv) words = g_strsplit_set (search, " \t\n", -1);
  GString *query = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      GString *word = g_string_new (NULL);

      for (const char *p = words[i]; *p; p++)
        if (*p != '"')
          g_string_append_c (word, *p);

      if (word->len > 0)
        {
          if (query->len > 0)
            g_string_append_c (query, ' ');
          g_string_append_printf (query, "\"%s\"*", word->str);
        }
      g_string_free (word, TRUE);
    }

  if (query->len == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }

  return g_string_free (query, FALSE);
}

static const char *
sort_expression (CrmLeadSort sort)
{
  switch (sort)
    {
    case CRM_LEAD_SORT_TITLE: return "l.title COLLATE NOCASE";
    case CRM_LEAD_SORT_CONTACT: return "l.contact_name COLLATE NOCASE";
    case CRM_LEAD_SORT_PHASE: return "l.phase_rank";
    case CRM_LEAD_SORT_STATUS: return "l.status";
    case CRM_LEAD_SORT_VOLUME: return "l.volume_minor";
    case CRM_LEAD_SORT_PROBABILITY: return "l.probability";
    case CRM_LEAD_SORT_WEIGHTED: return "l.volume_minor * l.probability";
    case CRM_LEAD_SORT_CLOSE_MONTH: return "l.close_month";
    case CRM_LEAD_SORT_OWNER: return "l.owner COLLATE NOCASE";
    case CRM_LEAD_SORT_LAST_ACTIVITY: return "l.last_activity";
    case CRM_LEAD_SORT_UPDATED:
    case CRM_LEAD_N_SORTS:
    default:
      return "l.updated_at";
    }
}

/* The status filter on @column. A status class is checked while scanning
 * the sort index, which holds the status ("+" keeps SQLite from picking
 * lead_status and sorting half a million rows instead). */
static void
append_status_conditions (const CrmLeadFilter *filter,
                          const char          *column,
                          GString             *sql,
                          GPtrArray           *params)
{
  switch (filter->status_class)
    {
    case CRM_STATUS_FILTER_OPEN:
    case CRM_STATUS_FILTER_WON:
    case CRM_STATUS_FILTER_LOST:
      g_string_append_printf (sql,
        " AND +%s IN (SELECT key FROM key_value WHERE kind = 'status' AND status_class = %d)",
        column,
        filter->status_class == CRM_STATUS_FILTER_OPEN ? CRM_STATUS_CLASS_OPEN :
        filter->status_class == CRM_STATUS_FILTER_WON ? CRM_STATUS_CLASS_WON : CRM_STATUS_CLASS_LOST);
      break;
    case CRM_STATUS_FILTER_ANY:
    default:
      break;
    }

  if (filter->status != NULL && *filter->status != '\0')
    {
      g_string_append_printf (sql, " AND %s = ?", column);
      g_ptr_array_add (params, g_strdup (filter->status));
    }

  if (crm_lead_filter_has_statuses (filter))
    {
      g_string_append_printf (sql, " AND +%s IN (", column);
      for (guint i = 0; filter->statuses[i] != NULL; i++)
        {
          g_string_append (sql, i > 0 ? ", ?" : "?");
          g_ptr_array_add (params, g_strdup (filter->statuses[i]));
        }
      g_string_append_c (sql, ')');
    }
}

/* Whether the filter has no conditions but the search and the status. */
static gboolean
only_status_conditions (const CrmLeadFilter *filter)
{
  return filter == NULL ||
         ((filter->phase == NULL || *filter->phase == '\0') &&
          (filter->owner == NULL || *filter->owner == '\0') &&
          (filter->unit == NULL || *filter->unit == '\0') &&
          (filter->lead_type == NULL || *filter->lead_type == '\0') &&
          filter->contact_id == 0 &&
          filter->close_from == CRM_MONTH_NONE &&
          filter->close_to == CRM_MONTH_NONE &&
          !filter->no_close_month);
}

/* Whether lead_search holds the sort key and every column the filter's
 * conditions (other than the search) read. */
static gboolean
search_index_covers (const CrmLeadFilter *filter)
{
  switch (filter->sort)
    {
    case CRM_LEAD_SORT_UPDATED:
    case CRM_LEAD_SORT_STATUS:
    case CRM_LEAD_SORT_VOLUME:
    case CRM_LEAD_SORT_PROBABILITY:
    case CRM_LEAD_SORT_WEIGHTED:
      return only_status_conditions (filter);
    default:
      return FALSE;
    }
}

/* Builds "FROM lead l WHERE ..." and the list of text parameters. The
 * search is left out unless @with_search; with @match_ids (a JSON array)
 * it is that list of ids, else the FTS5 query. Returns whether there is
 * any condition besides "not deleted". */
static gboolean
build_where (const CrmLeadFilter *filter,
             gboolean             with_search,
             const char          *match_ids,
             GString             *sql,
             GPtrArray           *params)
{
  g_autofree char *fts = NULL;
  gsize base_len;

  if (match_ids != NULL && search_index_covers (filter))
    g_string_append (sql, " FROM lead l INDEXED BY lead_search WHERE l.deleted = 0");
  else
    g_string_append (sql, " FROM lead l WHERE l.deleted = 0");
  base_len = sql->len;

  if (filter == NULL)
    return FALSE;

  if (with_search && match_ids != NULL)
    {
      g_string_append (sql, " AND l.id IN (SELECT value FROM json_each (?))");
      g_ptr_array_add (params, g_strdup (match_ids));
    }
  else if (with_search && filter->search != NULL && (fts = _crm_store_fts_query (filter->search)) != NULL)
    {
      g_string_append (sql, " AND l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)");
      g_ptr_array_add (params, g_steal_pointer (&fts));
    }

  append_status_conditions (filter, "l.status", sql, params);

#define TEXT_FILTER(member, clause) \
  if (filter->member != NULL && *filter->member != '\0') \
    { \
      g_string_append (sql, clause); \
      g_ptr_array_add (params, g_strdup (filter->member)); \
    }

  TEXT_FILTER (phase, " AND l.phase = ?")
  TEXT_FILTER (owner, " AND l.owner = ? COLLATE NOCASE")
  TEXT_FILTER (unit, " AND l.unit = ?")
  TEXT_FILTER (lead_type, " AND l.type = ?")

#undef TEXT_FILTER

  if (filter->contact_id != 0)
    g_string_append_printf (sql,
      " AND l.contact_id IN (SELECT id FROM contact WHERE id = %" G_GINT64_FORMAT
      " OR company_id = %" G_GINT64_FORMAT ")", filter->contact_id, filter->contact_id);
  if (filter->close_from != CRM_MONTH_NONE)
    g_string_append_printf (sql, " AND l.close_month >= %d", filter->close_from);
  if (filter->close_to != CRM_MONTH_NONE)
    g_string_append_printf (sql, " AND l.close_month <= %d", filter->close_to);
  if (filter->no_close_month)
    g_string_append (sql, " AND l.close_month IS NULL");

  return sql->len > base_len;
}

sqlite3_stmt *
_crm_store_prepare_reader (sqlite3     *db,
                const char  *sql,
                GPtrArray   *params,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, db, rc, _("the query"));
      return NULL;
    }

  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (params, i), -1, SQLITE_STATIC);

  return stmt;
}

static int
progress_handler (void *data)
{
  return g_cancellable_is_cancelled (data);
}

/* Runs a statement with the cancellable hooked into SQLite's progress
 * handler, so a superseded search stops mid-way. Reader lock held. */
void
_crm_store_set_cancellable (sqlite3      *db,
                 GCancellable *cancellable)
{
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, progress_handler, cancellable);
  else
    sqlite3_progress_handler (db, 0, NULL, NULL);
}

gboolean
_crm_store_finish_step (sqlite3       *db,
             int            rc,
             GCancellable  *cancellable,
             GError       **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  _crm_store_set_error (error, db, rc, _("the query"));
  return FALSE;
}

static void
add_to_sums (GArray     *sums,
             const char *currency,
             gint64      volume,
             gint64      probability)
{
  Sum *sum = NULL;

  for (guint i = 0; i < sums->len; i++)
    if (strcmp (g_array_index (sums, Sum, i).currency, currency) == 0)
      {
        sum = &g_array_index (sums, Sum, i);
        break;
      }

  if (sum == NULL)
    {
      Sum empty = { { 0 }, 0, 0, 0 };

      g_strlcpy (empty.currency, currency, sizeof empty.currency);
      g_array_append_val (sums, empty);
      sum = &g_array_index (sums, Sum, sums->len - 1);
    }

  sum->count++;
  sum->absolute_minor += volume;
  sum->volume_times_probability += volume * probability;
}

static CrmLeadTotals *
totals_from_sums (GArray *sums)
{
  CrmLeadTotals *totals = crm_lead_totals_new ();

  for (guint i = 0; i < sums->len; i++)
    {
      const Sum *sum = &g_array_index (sums, Sum, i);

      crm_lead_totals_add (totals, sum->currency, sum->count,
                           sum->absolute_minor, sum->volume_times_probability);
    }

  return totals;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
in_matches (const guint8 *matches,
            gint64        max_id,
            gint64        id)
{
  return id >= 0 && id <= max_id && (matches[id >> 3] & (1 << (id & 7)));
}

/* The rowids of the leads that match @fts (an FTS5 query from
 * _crm_store_fts_query ()), ascending. Reader lock held. */
GArray *
_crm_store_fts_rowids (sqlite3       *db,
                       const char    *fts,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  gboolean sorted = TRUE;
  sqlite3_stmt *stmt;
  int rc;

  g_ptr_array_add (params, (gpointer) fts);
  stmt = _crm_store_prepare_reader (db, "SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?", params, error);
  if (stmt == NULL)
    return NULL;

  _crm_store_set_cancellable (db, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      if (rowids->len > 0 && rowid <= g_array_index (rowids, gint64, rowids->len - 1))
        sorted = FALSE;
      g_array_append_val (rowids, rowid);
    }
  _crm_store_set_cancellable (db, NULL);
  sqlite3_finalize (stmt);

  if (!_crm_store_finish_step (db, rc, cancellable, error))
    return NULL;

  /* FTS5 gives them in rowid order; make sure */
  if (!sorted)
    g_array_sort (rowids, compare_ids);

  return g_steal_pointer (&rowids);
}

/* The leads that match @fts: when they are many (the first keystrokes),
 * a bitmap of their ids (*out_bitmap, *out_max_id), for an index scan in
 * sort order to test; else a JSON array of their ids (*out_ids) for SQL to
 * look up. The FTS5 query runs once either way. */
static gboolean
find_matches (sqlite3       *db,
              const char    *fts,
              guint8       **out_bitmap,
              gint64        *out_max_id,
              char         **out_ids,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GArray) rowids = NULL;
  gint64 max_id = 0, max_lead = 0;
  sqlite3_stmt *stmt;

  rowids = _crm_store_fts_rowids (db, fts, cancellable, error);
  if (rowids == NULL)
    return FALSE;
  if (rowids->len > 0)
    max_id = g_array_index (rowids, gint64, rowids->len - 1);

  if (rowids->len >= MANY_MATCHES &&
      sqlite3_prepare_v2 (db, "SELECT max (id) FROM lead", -1, &stmt, NULL) == SQLITE_OK)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        max_lead = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }

  /* About one lead in ten, and the bitmap small (ids are dense locally). */
  if (rowids->len >= MANY_MATCHES && (gint64) rowids->len >= max_lead / 10 &&
      max_id <= MAX_BITMAP_ID)
    {
      guint8 *bits = g_malloc0 (max_id / 8 + 1);

      for (guint i = 0; i < rowids->len; i++)
        {
          gint64 id = g_array_index (rowids, gint64, i);

          if (id >= 0)
            bits[id >> 3] |= 1 << (id & 7);
        }

      *out_bitmap = bits;
      *out_max_id = max_id;
    }
  else
    {
      GString *json = g_string_sized_new (rowids->len * 8 + 2);

      g_string_append_c (json, '[');
      for (guint i = 0; i < rowids->len; i++)
        g_string_append_printf (json, i ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                                g_array_index (rowids, gint64, i));
      g_string_append_c (json, ']');

      *out_ids = g_string_free (json, FALSE);
    }

  return TRUE;
}

/* What summing needs of every lead, by id: read once from the covering
 * index lead_sums (about 11 bytes a lead) and kept while the database is
 * unchanged (PRAGMA data_version on the reader changes with every commit
 * of another connection: the main thread's or another process's). Sums of
 * any set of ids are then a loop here instead of a lookup per lead. */
typedef struct {
  gint64     data_version;
  gint64     max_id;
  guint8    *currency;      /* index into currencies + 1; 0: no such lead */
  guint8    *probability;
  gint64    *volume;
  GPtrArray *currencies;    /* char * */
} SumsById;

/* Ids above this, or sparser than a lead in four, are summed in SQL */
#define MAX_SUMS_ID (G_GINT64_CONSTANT (1) << 24)

static void
sums_by_id_free (SumsById *sums)
{
  if (sums == NULL)
    return;

  g_free (sums->currency);
  g_free (sums->probability);
  g_free (sums->volume);
  g_ptr_array_unref (sums->currencies);
  g_free (sums);
}

gint64
_crm_store_data_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA data_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

/* The per-lead sums data as of the reader's current read transaction
 * (call it after a first read in that transaction), or NULL when the ids
 * do not suit it. Reader lock held. */
static SumsById *
sums_by_id_locked (CrmStore      *self,
                   GCancellable  *cancellable)
{
  SumsById *sums = self->sums_by_id;
  gint64 version = _crm_store_data_version (self->reader);
  gint64 max_id = 0, count = 0;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sums != NULL && sums->data_version == version && version != -1)
    return sums;

  sums_by_id_free (sums);
  self->sums_by_id = sums = NULL;

  if (sqlite3_prepare_v2 (self->reader, "SELECT max (id), count (*) FROM lead", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      max_id = sqlite3_column_int64 (stmt, 0);
      count = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);
  if (max_id > MAX_SUMS_ID || max_id > 4 * count + 1024)
    return NULL;

  sums = g_new0 (SumsById, 1);
  sums->data_version = version;
  sums->max_id = max_id;
  sums->currency = g_malloc0 (max_id + 1);
  sums->probability = g_malloc0 (max_id + 1);
  sums->volume = g_malloc0_n (max_id + 1, sizeof (gint64));
  sums->currencies = g_ptr_array_new_with_free_func (g_free);

  if (sqlite3_prepare_v2 (self->reader,
        "SELECT l.id, l.currency, l.volume_minor, l.probability FROM lead l "
        "WHERE l.deleted = 0 ORDER BY l.currency", -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      sums_by_id_free (sums);
      return NULL;
    }

  _crm_store_set_cancellable (self->reader, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *currency = _crm_store_column_text (stmt, 1);
      guint c = sums->currencies->len;

      if (id < 0 || id > max_id)
        continue;
      /* ordered by currency: a new one is always the last */
      if (c == 0 || strcmp (g_ptr_array_index (sums->currencies, c - 1), currency) != 0)
        {
          if (c == 255)
            break;
          g_ptr_array_add (sums->currencies, g_strdup (currency));
          c++;
        }
      sums->currency[id] = c;
      sums->volume[id] = sqlite3_column_int64 (stmt, 2);
      sums->probability[id] = sqlite3_column_int (stmt, 3);
    }
  _crm_store_set_cancellable (self->reader, NULL);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      sums_by_id_free (sums);
      return NULL;
    }

  self->sums_by_id = sums;
  return sums;
}

/* The sums of @ids, which must be leads that are not deleted */
static CrmLeadTotals *
sum_ids (const SumsById *by_id,
         GArray         *ids)
{
  g_autoptr(GArray) sums = g_array_new (FALSE, TRUE, sizeof (Sum));

  g_array_set_size (sums, by_id->currencies->len);
  for (guint c = 0; c < by_id->currencies->len; c++)
    g_strlcpy (g_array_index (sums, Sum, c).currency,
               g_ptr_array_index (by_id->currencies, c), sizeof (((Sum *) NULL)->currency));

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      guint c = id >= 0 && id <= by_id->max_id ? by_id->currency[id] : 0;
      Sum *sum;

      if (c == 0)
        continue;
      sum = &g_array_index (sums, Sum, c - 1);
      sum->count++;
      sum->absolute_minor += by_id->volume[id];
      sum->volume_times_probability += by_id->volume[id] * by_id->probability[id];
    }

  /* only the currencies that occur, as SQL's GROUP BY gives them */
  for (guint c = sums->len; c > 0; c--)
    if (g_array_index (sums, Sum, c - 1).count == 0)
      g_array_remove_index (sums, c - 1);

  return totals_from_sums (sums);
}

/* The sums of the leads in @matches that @filter (no conditions but the
 * status) lets through, from the covering index lead_sums (the ORDER BY
 * picks it). */
static CrmLeadTotals *
sums_of_matches (sqlite3              *db,
                 const CrmLeadFilter  *filter,
                 const guint8         *matches,
                 gint64                max_id,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(GArray) sums = g_array_new (FALSE, FALSE, sizeof (Sum));
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new (
    "SELECT l.id, l.currency, l.volume_minor, l.probability FROM lead l WHERE l.deleted = 0");
  sqlite3_stmt *stmt;
  int rc;

  g_assert (only_status_conditions (filter));

  append_status_conditions (filter, "l.status", sql, params);
  g_string_append (sql, " ORDER BY l.currency");
  stmt = _crm_store_prepare_reader (db, sql->str, params, error);
  if (stmt == NULL)
    return NULL;

  _crm_store_set_cancellable (db, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (in_matches (matches, max_id, sqlite3_column_int64 (stmt, 0)))
      add_to_sums (sums, _crm_store_column_text (stmt, 1),
                   sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3));
  _crm_store_set_cancellable (db, NULL);
  sqlite3_finalize (stmt);

  if (!_crm_store_finish_step (db, rc, cancellable, error))
    return NULL;

  return totals_from_sums (sums);
}

/* The sums of the leads @filter lets through, when it has no conditions
 * but the status, from the table lead_sum that the triggers keep */
static CrmLeadTotals *
kept_sums_locked (sqlite3              *db,
                  const CrmLeadFilter  *filter,
                  GError              **error)
{
  g_autoptr(CrmLeadTotals) totals = crm_lead_totals_new ();
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new (
    "SELECT s.currency, sum (s.n), sum (s.absolute_minor), sum (s.volume_times_probability) "
    "FROM lead_sum s WHERE s.n > 0");
  sqlite3_stmt *stmt;
  int rc;

  g_assert (only_status_conditions (filter));

  if (filter != NULL)
    append_status_conditions (filter, "s.status", sql, params);
  g_string_append (sql, " GROUP BY s.currency ORDER BY s.currency");

  stmt = _crm_store_prepare_reader (db, sql->str, params, error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    crm_lead_totals_add (totals,
                         _crm_store_column_text (stmt, 0),
                         sqlite3_column_int64 (stmt, 1),
                         sqlite3_column_int64 (stmt, 2),
                         sqlite3_column_int64 (stmt, 3));
  sqlite3_finalize (stmt);

  if (!_crm_store_finish_step (db, rc, NULL, error))
    return NULL;

  return g_steal_pointer (&totals);
}

/* The ids @filter lets through, in its order, and with @out_totals (and
 * no @limit) their sums: added up on the way when the rows are read
 * anyway, else from lead_sum (kept_sums_locked ()) or from the covering
 * index lead_sums (sums_of_matches ()).
 *
 * A search with many matches (the first keystrokes) is not joined in SQL:
 * the matches become a bitmap, and the rest of the query is an index scan
 * that keeps the ids in the bitmap. */
static GArray *
query_ids_locked (CrmStore             *self,
                  const CrmLeadFilter  *filter,
                  guint                 limit,
                  CrmLeadTotals       **out_totals,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT l.id");
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) sums = NULL;
  g_autofree char *fts = NULL;
  g_autofree guint8 *matches = NULL;
  g_autofree char *match_ids = NULL;
  gint64 max_id = 0;
  CrmLeadSort sort = filter ? filter->sort : CRM_LEAD_SORT_UPDATED;
  const char *dir = filter && filter->descending ? "DESC" : "ASC";
  sqlite3_stmt *stmt;
  int rc;

  if (out_totals != NULL)
    *out_totals = NULL;

  if (limit == 0 && filter != NULL && filter->search != NULL &&
      (fts = _crm_store_fts_query (filter->search)) != NULL &&
      !find_matches (self->reader, fts, &matches, &max_id, &match_ids, cancellable, error))
    return NULL;

  build_where (filter, matches == NULL, match_ids, where, params);
  if (out_totals != NULL && limit == 0 && !(fts == NULL && only_status_conditions (filter)) &&
      !(matches != NULL && only_status_conditions (filter)))
    {
      /* the rows are read anyway: add them up on the way */
      sums = g_array_new (FALSE, FALSE, sizeof (Sum));
      g_string_append (sql, ", l.currency, l.volume_minor, l.probability");
    }
  g_string_append (sql, where->str);
  g_string_append_printf (sql, " ORDER BY %s %s, l.id %s", sort_expression (sort), dir, dir);
  if (limit > 0)
    g_string_append_printf (sql, " LIMIT %u", limit);

  stmt = _crm_store_prepare_reader (self->reader, sql->str, params, error);
  if (stmt == NULL)
    return NULL;

  _crm_store_set_cancellable (self->reader, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (matches != NULL && !in_matches (matches, max_id, id))
        continue;

      g_array_append_val (ids, id);
      if (sums != NULL)
        add_to_sums (sums, _crm_store_column_text (stmt, 1),
                     sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3));
    }
  _crm_store_set_cancellable (self->reader, NULL);
  sqlite3_finalize (stmt);

  if (!_crm_store_finish_step (self->reader, rc, cancellable, error))
    return NULL;

  if (out_totals == NULL || limit > 0)
    ;
  else if (sums != NULL)
    *out_totals = totals_from_sums (sums);
  else if (matches != NULL)
    {
      /* many matches: the sums of the ids found, from the per-lead data,
       * else added up from the covering index */
      SumsById *by_id = sums_by_id_locked (self, cancellable);

      if (by_id != NULL)
        *out_totals = sum_ids (by_id, ids);
      else
        *out_totals = sums_of_matches (self->reader, filter, matches, max_id, cancellable, error);
      if (*out_totals == NULL)
        return NULL;
    }
  else
    {
      /* no conditions but the status: the sums the triggers keep */
      *out_totals = kept_sums_locked (self->reader, filter, error);
      if (*out_totals == NULL)
        return NULL;
    }

  return g_steal_pointer (&ids);
}

static CrmLeadTotals *
query_totals_locked (sqlite3              *db,
                     const CrmLeadFilter  *filter,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT l.currency, count(*), sum (l.volume_minor), "
                                         "sum (l.volume_minor * l.probability)");
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CrmLeadTotals) totals = crm_lead_totals_new ();
  sqlite3_stmt *stmt;
  int rc;

  build_where (filter, TRUE, NULL, sql, params);
  g_string_append (sql, " GROUP BY l.currency ORDER BY l.currency");

  stmt = _crm_store_prepare_reader (db, sql->str, params, error);
  if (stmt == NULL)
    return NULL;

  _crm_store_set_cancellable (db, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    crm_lead_totals_add (totals,
                         _crm_store_column_text (stmt, 0),
                         sqlite3_column_int64 (stmt, 1),
                         sqlite3_column_int64 (stmt, 2),
                         sqlite3_column_int64 (stmt, 3));
  _crm_store_set_cancellable (db, NULL);
  sqlite3_finalize (stmt);

  if (!_crm_store_finish_step (db, rc, cancellable, error))
    return NULL;

  return g_steal_pointer (&totals);
}

/* Starts the reader's read transaction and returns the PRAGMA
 * data_version of its snapshot (-1 when unknown). The pragma is the
 * transaction's first read, so the snapshot it reports is the one every
 * later statement of the transaction sees: a result read in it is exactly
 * what a query gives while data_version stays the same, i.e. until any
 * other connection (the main thread's writer, another process) commits.
 * Reader lock held. */
static gint64
begin_read_locked (CrmStore *self)
{
  sqlite3_exec (self->reader, "BEGIN", NULL, NULL, NULL);
  return _crm_store_data_version (self->reader);
}

/* Every query task: its read in one read transaction, so the ids and
 * the sums see the same snapshot, whose data_version it notes. */
static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CrmStore *self = source_object;
  QueryData *qd = task_data;
  GError *error = NULL;

  g_mutex_lock (&self->reader_lock);
  qd->data_version = begin_read_locked (self);
  qd->read (self, qd, cancellable, &error);
  sqlite3_exec (self->reader, "COMMIT", NULL, NULL, NULL);
  g_mutex_unlock (&self->reader_lock);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
query_read (CrmStore      *self,
            QueryData     *qd,
            GCancellable  *cancellable,
            GError       **error)
{
  qd->ids = query_ids_locked (self, qd->filter, 0, &qd->totals, cancellable, error);
}

/* The ids of @base that match @fts, in the order of @base, and their sums:
 * from the per-lead data, else looked up by id in lead_search (few) or
 * added up from a scan of lead_sums (many). FALSE with no error when the
 * ids are too sparse for a bitmap: then the caller queries in full. */
static gboolean
refine_locked (CrmStore      *self,
               GArray        *base,
               const char    *fts,
               GArray       **out_ids,
               CrmLeadTotals **out_totals,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint8 *matches = NULL;
  g_autofree guint8 *kept = NULL;
  CrmLeadTotals *totals;
  SumsById *by_id;
  gint64 max_id = 0;
  sqlite3_stmt *stmt;
  int rc;

  {
    g_autoptr(GArray) rowids = _crm_store_fts_rowids (self->reader, fts, cancellable, error);

    if (rowids == NULL)
      return FALSE;
    if (rowids->len > 0)
      max_id = g_array_index (rowids, gint64, rowids->len - 1);
    if (max_id > MAX_BITMAP_ID)
      return FALSE;

    matches = g_malloc0 (max_id / 8 + 1);
    for (guint i = 0; i < rowids->len; i++)
      {
        gint64 id = g_array_index (rowids, gint64, i);

        if (id >= 0)
          matches[id >> 3] |= 1 << (id & 7);
      }
  }

  for (guint i = 0; i < base->len; i++)
    {
      gint64 id = g_array_index (base, gint64, i);

      if (in_matches (matches, max_id, id))
        g_array_append_val (ids, id);
    }

  g_ptr_array_set_size (params, 0);
  if ((by_id = sums_by_id_locked (self, cancellable)) != NULL)
    totals = sum_ids (by_id, ids);
  else if (ids->len < MANY_MATCHES)
    {
      GString *json = g_string_sized_new (ids->len * 8 + 2);

      g_string_append_c (json, '[');
      for (guint i = 0; i < ids->len; i++)
        g_string_append_printf (json, i ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                                g_array_index (ids, gint64, i));
      g_string_append_c (json, ']');
      g_ptr_array_add (params, g_string_free (json, FALSE));

      stmt = _crm_store_prepare_reader (self->reader,
        "SELECT l.currency, count (*), sum (l.volume_minor), sum (l.volume_minor * l.probability) "
        "FROM lead l INDEXED BY lead_search "
        "WHERE l.deleted = 0 AND l.id IN (SELECT value FROM json_each (?)) "
        "GROUP BY l.currency ORDER BY l.currency", params, error);
      if (stmt == NULL)
        return FALSE;

      totals = crm_lead_totals_new ();
      _crm_store_set_cancellable (self->reader, cancellable);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        crm_lead_totals_add (totals,
                             _crm_store_column_text (stmt, 0),
                             sqlite3_column_int64 (stmt, 1),
                             sqlite3_column_int64 (stmt, 2),
                             sqlite3_column_int64 (stmt, 3));
      _crm_store_set_cancellable (self->reader, NULL);
      sqlite3_finalize (stmt);

      if (!_crm_store_finish_step (self->reader, rc, cancellable, error))
        {
          crm_lead_totals_free (totals);
          return FALSE;
        }
    }
  else
    {
      /* the sums of these ids alone: no other condition */
      g_autoptr(CrmLeadFilter) any = crm_lead_filter_new ();
      gint64 max_kept = 0;

      for (guint i = 0; i < ids->len; i++)
        max_kept = MAX (max_kept, g_array_index (ids, gint64, i));
      kept = g_malloc0 (max_kept / 8 + 1);
      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);

          if (id >= 0)
            kept[id >> 3] |= 1 << (id & 7);
        }

      totals = sums_of_matches (self->reader, any, kept, max_kept, cancellable, error);
      if (totals == NULL)
        return FALSE;
    }

  *out_ids = g_steal_pointer (&ids);
  *out_totals = totals;
  return TRUE;
}

/* The earlier result narrowed by the search when it still holds, else
 * the query in full. */
static void
refine_read (CrmStore      *self,
             QueryData     *qd,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *fts = _crm_store_fts_query (qd->filter->search != NULL ? qd->filter->search : "");

  /* the earlier result is of no use when the database changed since */
  if (fts == NULL || qd->data_version == -1 || qd->data_version != qd->base_version ||
      !refine_locked (self, qd->base, fts, &qd->ids, &qd->totals, cancellable, error))
    {
      if (*error == NULL)
        query_read (self, qd, cancellable, error);
    }
}

/* Hands back the kept result when the database is unchanged since it was
 * read (same data_version), else queries in full. */
static void
reuse_read (CrmStore      *self,
            QueryData     *qd,
            GCancellable  *cancellable,
            GError       **error)
{
  if (qd->data_version != -1 && qd->data_version == qd->base_version)
    {
      qd->ids = g_array_ref (qd->base);
      qd->totals = crm_lead_totals_copy (qd->base_totals);
      qd->reused = TRUE;
    }
  else
    query_read (self, qd, cancellable, error);
}

/* ---------------------------------------------------------------- private */

/* Frees what the queries keep between calls (CrmStore's finalize) */
void
_crm_store_query_clear (CrmStore *self)
{
  g_clear_pointer ((SumsById **) &self->sums_by_id, sums_by_id_free);
}

/* Whether the leads @filter lets through are a subset of those @earlier
 * let through, in the same order: the same filter and sort, and a search
 * that only went on typing (each search word is a prefix query, so a
 * longer word or another word only narrows). An earlier word without a
 * letter or digit is no query (an empty phrase) and does not narrow. */
gboolean
_crm_store_filter_refines (const CrmLeadFilter *earlier,
                           const CrmLeadFilter *filter)
{
  g_autoptr(CrmLeadFilter) a = NULL;
  g_autoptr(CrmLeadFilter) b = NULL;
  const char *old = earlier->search != NULL ? earlier->search : "";
  const char *new = filter->search != NULL ? filter->search : "";
  g_auto(GStrv) words = NULL;

  if (!g_str_has_prefix (new, old) || strlen (new) == strlen (old))
    return FALSE;

  a = crm_lead_filter_copy (earlier);
  b = crm_lead_filter_copy (filter);
  g_clear_pointer (&a->search, g_free);
  g_clear_pointer (&b->search, g_free);
  if (!crm_lead_filter_equal (a, b))
    return FALSE;

  words = g_strsplit_set (old, " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean token = FALSE;

      if (*words[i] == '\0')
        continue;
      for (const char *p = words[i]; *p && !token; p = g_utf8_next_char (p))
        token = g_unichar_isalnum (g_utf8_get_char (p));
      if (!token)
        return FALSE;
    }

  return g_utf8_validate (new, -1, NULL);
}

/* Runs @read over @qd (taken) in a worker thread; every query of the
 * list model finishes the same way, so they share one source tag. */
static void
run_query_task (CrmStore            *self,
                QueryData           *qd,
                QueryReadFunc        read,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  qd->read = read;
  g_task_set_source_tag (task, crm_store_query_async);
  g_task_set_task_data (task, qd, query_data_free);
  g_task_run_in_thread (task, query_thread);
}

/* Like crm_store_query_async (), for a @filter that refines
 * (_crm_store_filter_refines ()) the filter that gave @base, read at
 * @base_version (see _crm_store_query_finish_full ()): keeps the ids of
 * @base that match the search, in their order, instead of querying and
 * sorting again; queries in full when the database changed since. Finish
 * with crm_store_query_finish () or _crm_store_query_finish_full (). */
void
_crm_store_refine_async (CrmStore            *self,
                         const CrmLeadFilter *filter,
                         GArray              *base,
                         gint64               base_version,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  QueryData *qd;

  g_return_if_fail (CRM_IS_STORE (self));
  g_return_if_fail (filter != NULL);
  g_return_if_fail (base != NULL);

  qd = g_new0 (QueryData, 1);
  qd->filter = crm_lead_filter_copy (filter);
  qd->base = g_array_ref (base);
  qd->base_version = base_version;

  run_query_task (self, qd, refine_read, cancellable, callback, user_data);
}

/* Like crm_store_query_async (), for a @filter that gave @ids and @totals
 * when the database was at @data_version: hands them back (finish with
 * _crm_store_query_finish_full (), whose @out_reused says so) when no
 * connection has committed since, which is then exactly what the query
 * gives; else queries in full. Costs a read transaction and a pragma. */
void
_crm_store_reuse_async (CrmStore            *self,
                        const CrmLeadFilter *filter,
                        GArray              *ids,
                        const CrmLeadTotals *totals,
                        gint64               data_version,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  QueryData *qd;

  g_return_if_fail (CRM_IS_STORE (self));
  g_return_if_fail (filter != NULL);
  g_return_if_fail (ids != NULL);
  g_return_if_fail (totals != NULL);

  qd = g_new0 (QueryData, 1);
  qd->filter = crm_lead_filter_copy (filter);
  qd->base = g_array_ref (ids);
  qd->base_totals = crm_lead_totals_copy (totals);
  qd->base_version = data_version;

  run_query_task (self, qd, reuse_read, cancellable, callback, user_data);
}

/* crm_store_query_finish (), and also the PRAGMA data_version of the
 * reader's snapshot that the result was read at (-1 when unknown: then
 * the result must not be kept for reuse) and whether it is a kept result
 * handed back by _crm_store_reuse_async (). */
gboolean
_crm_store_query_finish_full (CrmStore       *self,
                              GAsyncResult   *result,
                              GArray        **out_ids,
                              CrmLeadTotals **out_totals,
                              gint64         *out_data_version,
                              gboolean       *out_reused,
                              GError        **error)
{
  QueryData *qd;

  if (out_data_version != NULL)
    *out_data_version = -1;
  if (out_reused != NULL)
    *out_reused = FALSE;

  if (!crm_store_query_finish (self, result, out_ids, out_totals, error))
    return FALSE;

  qd = g_task_get_task_data (G_TASK (result));
  if (out_data_version != NULL)
    *out_data_version = qd->data_version;
  if (out_reused != NULL)
    *out_reused = qd->reused;

  return TRUE;
}

/* ----------------------------------------------------------------- public */

/**
 * crm_store_query_lead_ids:
 * @limit: at most this many ids, 0 for all
 *
 * Returns: (transfer full): the ids of the leads @filter lets through, in
 *   its sort order
 */
GArray *
crm_store_query_lead_ids (CrmStore             *self,
                          const CrmLeadFilter  *filter,
                          guint                 limit,
                          GCancellable         *cancellable,
                          GError              **error)
{
  GArray *ids;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  g_mutex_lock (&self->reader_lock);
  ids = query_ids_locked (self, filter, limit, NULL, cancellable, error);
  g_mutex_unlock (&self->reader_lock);

  return ids;
}

CrmLeadTotals *
crm_store_query_totals (CrmStore             *self,
                        const CrmLeadFilter  *filter,
                        GCancellable         *cancellable,
                        GError              **error)
{
  CrmLeadTotals *totals;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  g_mutex_lock (&self->reader_lock);
  totals = query_totals_locked (self->reader, filter, cancellable, error);
  g_mutex_unlock (&self->reader_lock);

  return totals;
}

/**
 * crm_store_query_async:
 *
 * Runs the id query and the sums for @filter in a worker thread.
 */
void
crm_store_query_async (CrmStore             *self,
                       const CrmLeadFilter  *filter,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  QueryData *qd;

  g_return_if_fail (CRM_IS_STORE (self));

  qd = g_new0 (QueryData, 1);
  qd->filter = filter ? crm_lead_filter_copy (filter) : crm_lead_filter_new ();

  run_query_task (self, qd, query_read, cancellable, callback, user_data);
}

gboolean
crm_store_query_finish (CrmStore       *self,
                        GAsyncResult   *result,
                        GArray        **out_ids,
                        CrmLeadTotals **out_totals,
                        GError        **error)
{
  QueryData *qd;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  qd = g_task_get_task_data (G_TASK (result));
  if (out_ids != NULL)
    *out_ids = g_steal_pointer (&qd->ids);
  if (out_totals != NULL)
    *out_totals = g_steal_pointer (&qd->totals);

  return TRUE;
}
