/* crm-store-query.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Filtered, sorted lead queries and their sums, in SQL on indexes and
 * FTS5, on the reader connection so that worker threads can run them
 * while the main thread writes. A million leads yield a million ids
 * (8 MB), never a million objects.
 */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-store-private.h"

typedef struct {
  CrmLeadFilter *filter;
  GArray        *ids;
  CrmLeadTotals *totals;
} QueryData;

static void
query_data_free (gpointer data)
{
  QueryData *qd = data;

  crm_lead_filter_free (qd->filter);
  g_clear_pointer (&qd->ids, g_array_unref);
  g_clear_pointer (&qd->totals, crm_lead_totals_free);
  g_free (qd);
}

/* "mül gmb" -> "\"mül\"* \"gmb\"*": every word as a prefix, all required. */
static char *
fts_query (const char *search)
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

/* Builds "FROM lead l WHERE ..." and the list of text parameters. */
static void
build_where (const CrmLeadFilter *filter,
             GString             *sql,
             GPtrArray           *params)
{
  g_autofree char *fts = NULL;

  g_string_append (sql, " FROM lead l WHERE l.deleted = 0");

  if (filter == NULL)
    return;

  if (filter->search != NULL && (fts = fts_query (filter->search)) != NULL)
    {
      g_string_append (sql, " AND l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)");
      g_ptr_array_add (params, g_steal_pointer (&fts));
    }

  switch (filter->status_class)
    {
    case CRM_STATUS_FILTER_OPEN:
    case CRM_STATUS_FILTER_WON:
    case CRM_STATUS_FILTER_LOST:
      g_string_append_printf (sql,
        " AND l.status IN (SELECT key FROM key_value WHERE kind = 'status' AND status_class = %d)",
        filter->status_class == CRM_STATUS_FILTER_OPEN ? CRM_STATUS_CLASS_OPEN :
        filter->status_class == CRM_STATUS_FILTER_WON ? CRM_STATUS_CLASS_WON : CRM_STATUS_CLASS_LOST);
      break;
    case CRM_STATUS_FILTER_ANY:
    default:
      break;
    }

#define TEXT_FILTER(member, clause) \
  if (filter->member != NULL && *filter->member != '\0') \
    { \
      g_string_append (sql, clause); \
      g_ptr_array_add (params, g_strdup (filter->member)); \
    }

  TEXT_FILTER (status, " AND l.status = ?")
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
}

static sqlite3_stmt *
prepare_reader (CrmStore    *self,
                const char  *sql,
                GPtrArray   *params,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->reader, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _crm_store_set_error (error, self->reader, rc, _("the query"));
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
static void
set_cancellable (CrmStore     *self,
                 GCancellable *cancellable)
{
  if (cancellable != NULL)
    sqlite3_progress_handler (self->reader, 1000, progress_handler, cancellable);
  else
    sqlite3_progress_handler (self->reader, 0, NULL, NULL);
}

static gboolean
finish_step (CrmStore      *self,
             int            rc,
             GCancellable  *cancellable,
             GError       **error)
{
  if (rc == SQLITE_DONE)
    return TRUE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  _crm_store_set_error (error, self->reader, rc, _("the query"));
  return FALSE;
}

static GArray *
query_ids_locked (CrmStore             *self,
                  const CrmLeadFilter  *filter,
                  guint                 limit,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT l.id");
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  CrmLeadSort sort = filter ? filter->sort : CRM_LEAD_SORT_UPDATED;
  const char *dir = filter && filter->descending ? "DESC" : "ASC";
  sqlite3_stmt *stmt;
  int rc;

  build_where (filter, sql, params);
  g_string_append_printf (sql, " ORDER BY %s %s, l.id %s", sort_expression (sort), dir, dir);
  if (limit > 0)
    g_string_append_printf (sql, " LIMIT %u", limit);

  stmt = prepare_reader (self, sql->str, params, error);
  if (stmt == NULL)
    return NULL;

  set_cancellable (self, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  set_cancellable (self, NULL);
  sqlite3_finalize (stmt);

  if (!finish_step (self, rc, cancellable, error))
    return NULL;

  return g_steal_pointer (&ids);
}

static CrmLeadTotals *
query_totals_locked (CrmStore             *self,
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

  build_where (filter, sql, params);
  g_string_append (sql, " GROUP BY l.currency ORDER BY l.currency");

  stmt = prepare_reader (self, sql->str, params, error);
  if (stmt == NULL)
    return NULL;

  set_cancellable (self, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    crm_lead_totals_add (totals,
                         _crm_store_column_text (stmt, 0),
                         sqlite3_column_int64 (stmt, 1),
                         sqlite3_column_int64 (stmt, 2),
                         sqlite3_column_int64 (stmt, 3));
  set_cancellable (self, NULL);
  sqlite3_finalize (stmt);

  if (!finish_step (self, rc, cancellable, error))
    return NULL;

  return g_steal_pointer (&totals);
}

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
  qd->ids = query_ids_locked (self, qd->filter, 0, cancellable, &error);
  if (qd->ids != NULL)
    qd->totals = query_totals_locked (self, qd->filter, cancellable, &error);
  g_mutex_unlock (&self->reader_lock);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
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
  ids = query_ids_locked (self, filter, limit, cancellable, error);
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
  totals = query_totals_locked (self, filter, cancellable, error);
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
  g_autoptr(GTask) task = NULL;
  QueryData *qd;

  g_return_if_fail (CRM_IS_STORE (self));

  qd = g_new0 (QueryData, 1);
  qd->filter = filter ? crm_lead_filter_copy (filter) : crm_lead_filter_new ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_store_query_async);
  g_task_set_task_data (task, qd, query_data_free);
  g_task_run_in_thread (task, query_thread);
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
