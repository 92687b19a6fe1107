/* crm-lead-list-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of CrmLead that scales to a million rows: it holds only the
 * sorted ids from one SQL query and builds a lead when a view asks for one
 * (the store shares live instances, and a small ring of recently built
 * items keeps scrolling cheap). Queries run in a worker thread; a newer
 * filter cancels an older query. After a query the model announces only
 * the span that differs (common prefix and suffix are kept), so a single
 * edit does not reset the view's scroll position or selection.
 *
 * Typing a search narrows the list keystroke by keystroke: when the new
 * filter only extends the search of the one that gave the current ids
 * (and nothing changed in the store since), the store keeps those of the
 * current ids that match, in their order, instead of querying and sorting
 * the matches again (_crm_store_refine_async ()).
 *
 * Going back (a backspace, or a filter set earlier) reuses a kept result:
 * the model keeps the ids and totals of its last few results (at most
 * MAX_KEPT, and MAX_KEPT_IDS ids in all) with the store's data version
 * they were read at. A kept result is forgotten on any change signal of
 * the store, and reused only for an equal filter (crm_lead_filter_equal ())
 * and only when the reader's PRAGMA data_version shows that no connection,
 * this process's or another's, has committed since it was read
 * (_crm_store_reuse_async ()): it is then exactly what the query gives.
 *
 * A view that is not on screen can pause its model: store changes then
 * only mark it stale, and it queries once when it is resumed, instead of
 * after every change (crm_lead_list_model_set_paused ()).
 */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <string.h>

#include "crm-lead-list-model.h"
#include "crm-store-private.h"

#define CACHE_SIZE 256

/* Kept results: how many, and how many ids in all (8 bytes each) */
#define MAX_KEPT      8
#define MAX_KEPT_IDS  (2 * 1000 * 1000)

/* A result the model had, for reuse (see the top of this file) */
typedef struct {
  CrmLeadFilter *filter;
  GArray        *ids;
  CrmLeadTotals *totals;
  guint          changes;        /* the model's store changes seen */
  gint64         data_version;   /* the store's, when it was read */
} KeptResult;

struct _CrmLeadListModel
{
  GObject        parent_instance;

  CrmStore      *store;
  CrmLeadFilter *filter;
  GArray        *ids;
  CrmLeadFilter *ids_filter;   /* the filter that gave ids, NULL before */
  CrmLeadTotals *totals;
  GCancellable  *cancellable;
  GQueue         cache;        /* CrmLead, most recent first */
  guint          refresh_source;
  guint          changes;       /* store changes seen */
  guint          ids_changes;   /* changes when the query that gave ids started */
  guint          query_changes; /* changes when the running query started */
  gint64         ids_version;   /* the store's data version ids were read at, -1 */
  GQueue         kept;          /* KeptResult, most recently used first */
  guint          kept_ids;      /* ids in kept, all together */
  guint          n_reused;      /* results taken from kept, for the tests */
  guint          loading : 1;
  guint          queried : 1;
  guint          paused : 1;
  guint          stale : 1;        /* a change came while paused */
};

static void list_model_iface_init (GListModelInterface *iface);
static void start_query           (CrmLeadListModel    *self,
                                   gboolean             reuse);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmLeadListModel, crm_lead_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_ITEMS,
  PROP_LOADING,
  PROP_TOTALS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------- helpers */

static void
set_loading (CrmLeadListModel *self,
             gboolean          loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
clear_cache (CrmLeadListModel *self)
{
  g_queue_clear_full (&self->cache, g_object_unref);
}

static void
kept_result_free (gpointer data)
{
  KeptResult *kept = data;

  crm_lead_filter_free (kept->filter);
  g_array_unref (kept->ids);
  crm_lead_totals_free (kept->totals);
  g_free (kept);
}

static void
forget_kept (CrmLeadListModel *self)
{
  g_queue_clear_full (&self->kept, kept_result_free);
  self->kept_ids = 0;
}

static void
drop_kept (CrmLeadListModel *self,
           GList            *link)
{
  KeptResult *kept = link->data;

  self->kept_ids -= kept->ids->len;
  g_queue_delete_link (&self->kept, link);
  kept_result_free (kept);
}

/* The kept result of @filter that is still good as far as the model knows
 * (no change signal since); the store checks its data version. */
static KeptResult *
find_kept (CrmLeadListModel    *self,
           const CrmLeadFilter *filter)
{
  for (GList *l = self->kept.head; l != NULL; l = l->next)
    {
      KeptResult *kept = l->data;

      if (kept->changes == self->changes && crm_lead_filter_equal (kept->filter, filter))
        return kept;
    }

  return NULL;
}

/* Keeps @ids and @totals of @filter, read at @data_version, as the most
 * recently used result; drops the least recently used beyond the bounds. */
static void
keep_result (CrmLeadListModel    *self,
             const CrmLeadFilter *filter,
             GArray              *ids,
             const CrmLeadTotals *totals,
             gint64               data_version)
{
  KeptResult *kept;

  for (GList *l = self->kept.head; l != NULL; l = l->next)
    if (crm_lead_filter_equal (((KeptResult *) l->data)->filter, filter))
      {
        drop_kept (self, l);
        break;
      }

  if (data_version == -1 || ids->len > MAX_KEPT_IDS)
    return;

  kept = g_new0 (KeptResult, 1);
  kept->filter = crm_lead_filter_copy (filter);
  kept->ids = g_array_ref (ids);
  kept->totals = crm_lead_totals_copy (totals);
  kept->changes = self->changes;
  kept->data_version = data_version;
  g_queue_push_head (&self->kept, kept);
  self->kept_ids += ids->len;

  while (self->kept.length > MAX_KEPT || self->kept_ids > MAX_KEPT_IDS)
    drop_kept (self, self->kept.tail);
}

static void
apply_ids (CrmLeadListModel *self,
           GArray           *ids)
{
  guint old_n = self->ids->len;
  guint new_n = ids->len;
  guint prefix = 0, suffix = 0;
  const gint64 *a = (const gint64 *) self->ids->data;
  const gint64 *b = (const gint64 *) ids->data;

  while (prefix < old_n && prefix < new_n && a[prefix] == b[prefix])
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         a[old_n - 1 - suffix] == b[new_n - 1 - suffix])
    suffix++;

  g_array_unref (self->ids);
  self->ids = g_array_ref (ids);

  if (prefix == old_n && prefix == new_n)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                              old_n - prefix - suffix, new_n - prefix - suffix);
  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* -------------------------------------------------------------- callbacks */

static void
on_query_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CrmLeadListModel) self = user_data;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(CrmLeadTotals) totals = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version = -1;
  gboolean reused = FALSE;

  if (!_crm_store_query_finish_full (CRM_STORE (source), result, &ids, &totals,
                                     &version, &reused, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Cannot list leads: %s", error->message);
          set_loading (self, FALSE);
        }
      return;
    }

  apply_ids (self, ids);
  g_clear_pointer (&self->ids_filter, crm_lead_filter_free);
  self->ids_filter = crm_lead_filter_copy (self->filter);
  self->ids_changes = self->query_changes;
  self->ids_version = version;
  if (reused)
    self->n_reused++;

  g_clear_pointer (&self->totals, crm_lead_totals_free);
  self->totals = g_steal_pointer (&totals);

  /* only a result that no change signal has overtaken */
  if (self->query_changes == self->changes)
    keep_result (self, self->filter, ids, self->totals, version);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTALS]);

  set_loading (self, FALSE);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CrmLeadListModel *self = user_data;

  self->refresh_source = 0;
  crm_lead_list_model_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (CrmLeadListModel *self)
{
  if (self->paused)
    {
      self->stale = TRUE;
      return;
    }

  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_idle_cb, self, NULL);
}

static void
on_store_lead_changed_cb (CrmLeadListModel *self,
                          gint64            id,
                          CrmStore         *store)
{
  self->changes++;
  forget_kept (self);
  schedule_refresh (self);
}

static void
on_store_leads_changed_cb (CrmLeadListModel *self,
                           CrmStore         *store)
{
  self->changes++;
  forget_kept (self);
  clear_cache (self);
  schedule_refresh (self);
}

/* Contacts: the leads that show a contact's name are announced with
 * ::lead-changed; a kept result is forgotten all the same. */
static void
on_store_contacts_changed_cb (CrmLeadListModel *self,
                              gint64            id,
                              CrmStore         *store)
{
  self->changes++;
  forget_kept (self);
}

/* -------------------------------------------------------- GListModel */

static GType
crm_lead_list_model_get_item_type (GListModel *model)
{
  return CRM_TYPE_LEAD;
}

static guint
crm_lead_list_model_get_n_items (GListModel *model)
{
  return CRM_LEAD_LIST_MODEL (model)->ids->len;
}

static gpointer
crm_lead_list_model_get_item (GListModel *model,
                              guint       position)
{
  CrmLeadListModel *self = CRM_LEAD_LIST_MODEL (model);
  g_autoptr(GError) error = NULL;
  CrmLead *lead;
  gint64 id;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);

  for (GList *l = self->cache.head; l != NULL; l = l->next)
    if (crm_lead_get_id (l->data) == id)
      {
        if (l != self->cache.head)
          {
            g_queue_unlink (&self->cache, l);
            g_queue_push_head_link (&self->cache, l);
          }
        return g_object_ref (l->data);
      }

  lead = crm_store_get_lead (self->store, id, &error);
  if (lead == NULL)
    {
      /* deleted since the query: a placeholder until the next refresh */
      lead = crm_lead_new ();
      g_object_set (lead, "id", id, "title", "", NULL);
      schedule_refresh (self);
      return lead;
    }

  g_queue_push_head (&self->cache, g_object_ref (lead));
  if (self->cache.length > CACHE_SIZE)
    g_object_unref (g_queue_pop_tail (&self->cache));

  return lead;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = crm_lead_list_model_get_item_type;
  iface->get_n_items = crm_lead_list_model_get_n_items;
  iface->get_item = crm_lead_list_model_get_item;
}

/* -------------------------------------------------------------- overrides */

static void
crm_lead_list_model_dispose (GObject *object)
{
  CrmLeadListModel *self = (CrmLeadListModel *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  clear_cache (self);
  forget_kept (self);

  G_OBJECT_CLASS (crm_lead_list_model_parent_class)->dispose (object);
}

static void
crm_lead_list_model_finalize (GObject *object)
{
  CrmLeadListModel *self = (CrmLeadListModel *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->filter, crm_lead_filter_free);
  g_clear_pointer (&self->ids_filter, crm_lead_filter_free);
  g_clear_pointer (&self->totals, crm_lead_totals_free);
  g_clear_pointer (&self->ids, g_array_unref);

  G_OBJECT_CLASS (crm_lead_list_model_parent_class)->finalize (object);
}

static void
crm_lead_list_model_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CrmLeadListModel *self = CRM_LEAD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_TOTALS:
      g_value_set_boxed (value, self->totals);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_lead_list_model_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CrmLeadListModel *self = CRM_LEAD_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      g_signal_connect_object (self->store, "lead-changed",
                               G_CALLBACK (on_store_lead_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "leads-changed",
                               G_CALLBACK (on_store_leads_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "key-values-changed",
                               G_CALLBACK (on_store_leads_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "contacts-changed",
                               G_CALLBACK (on_store_contacts_changed_cb), self, G_CONNECT_SWAPPED);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_lead_list_model_class_init (CrmLeadListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_lead_list_model_dispose;
  object_class->finalize = crm_lead_list_model_finalize;
  object_class->get_property = crm_lead_list_model_get_property;
  object_class->set_property = crm_lead_list_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTALS] =
    g_param_spec_boxed ("totals", NULL, NULL, CRM_TYPE_LEAD_TOTALS,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_lead_list_model_init (CrmLeadListModel *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->filter = crm_lead_filter_new ();
  self->filter->sort = CRM_LEAD_SORT_UPDATED;
  self->filter->descending = TRUE;
  self->totals = crm_lead_totals_new ();
  self->ids_version = -1;
  g_queue_init (&self->cache);
  g_queue_init (&self->kept);
}

/* ----------------------------------------------------------------- public */

CrmLeadListModel *
crm_lead_list_model_new (CrmStore *store)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  return g_object_new (CRM_TYPE_LEAD_LIST_MODEL, "store", store, NULL);
}

CrmStore *
crm_lead_list_model_get_store (CrmLeadListModel *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_LIST_MODEL (self), NULL);

  return self->store;
}

const CrmLeadFilter *
crm_lead_list_model_get_filter (CrmLeadListModel *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_LIST_MODEL (self), NULL);

  return self->filter;
}

/**
 * crm_lead_list_model_set_filter:
 *
 * Takes a copy of @filter and queries again when it differs (or when the
 * model has not queried yet).
 */
void
crm_lead_list_model_set_filter (CrmLeadListModel    *self,
                                const CrmLeadFilter *filter)
{
  g_return_if_fail (CRM_IS_LEAD_LIST_MODEL (self));
  g_return_if_fail (filter != NULL);

  if (self->queried && crm_lead_filter_equal (self->filter, filter))
    return;

  crm_lead_filter_free (self->filter);
  self->filter = crm_lead_filter_copy (filter);
  start_query (self, TRUE);
}

const CrmLeadTotals *
crm_lead_list_model_get_totals (CrmLeadListModel *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_LIST_MODEL (self), NULL);

  return self->totals;
}

gboolean
crm_lead_list_model_get_loading (CrmLeadListModel *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_LIST_MODEL (self), FALSE);

  return self->loading;
}

/* The position of lead @id, or GTK_INVALID_LIST_POSITION (G_MAXUINT). */
guint
crm_lead_list_model_find (CrmLeadListModel *self,
                          gint64            id)
{
  g_return_val_if_fail (CRM_IS_LEAD_LIST_MODEL (self), G_MAXUINT);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == id)
      return i;

  return G_MAXUINT;
}

gint64
crm_lead_list_model_get_id (CrmLeadListModel *self,
                            guint             position)
{
  g_return_val_if_fail (CRM_IS_LEAD_LIST_MODEL (self), 0);

  if (position >= self->ids->len)
    return 0;

  return g_array_index (self->ids, gint64, position);
}

/* Queries again now; the result arrives asynchronously (see :loading). */
void
crm_lead_list_model_refresh (CrmLeadListModel *self)
{
  g_return_if_fail (CRM_IS_LEAD_LIST_MODEL (self));

  start_query (self, FALSE);
}

/**
 * crm_lead_list_model_set_paused:
 *
 * While paused, store changes do not query again: the model only notes
 * that its ids are stale, and queries once when it is resumed. Setting a
 * filter still queries.
 */
void
crm_lead_list_model_set_paused (CrmLeadListModel *self,
                                gboolean          paused)
{
  g_return_if_fail (CRM_IS_LEAD_LIST_MODEL (self));

  if (self->paused == !!paused)
    return;

  self->paused = !!paused;
  if (paused && self->refresh_source != 0)
    {
      g_clear_handle_id (&self->refresh_source, g_source_remove);
      self->stale = TRUE;
    }
  else if (!paused && self->stale)
    {
      self->stale = FALSE;
      schedule_refresh (self);
    }
}

gboolean
crm_lead_list_model_get_paused (CrmLeadListModel *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_LIST_MODEL (self), FALSE);

  return self->paused;
}

guint
_crm_lead_list_model_get_n_reused (CrmLeadListModel *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_LIST_MODEL (self), 0);

  return self->n_reused;
}

/* Starts the query of self->filter: with @reuse, from a kept result of an
 * equal filter when there is one; else by narrowing the current ids when
 * the filter only extends their search; else in full. */
static void
start_query (CrmLeadListModel *self,
             gboolean          reuse)
{
  KeptResult *kept = reuse ? find_kept (self, self->filter) : NULL;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->stale = FALSE;   /* what it reads is current */

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->queried = TRUE;
  self->query_changes = self->changes;

  set_loading (self, TRUE);
  if (kept != NULL)
    _crm_store_reuse_async (self->store, self->filter, kept->ids, kept->totals,
                            kept->data_version, self->cancellable,
                            on_query_done_cb, g_object_ref (self));
  else if (self->ids_filter != NULL && self->ids_changes == self->changes &&
           self->ids_version != -1 &&
           _crm_store_filter_refines (self->ids_filter, self->filter))
    _crm_store_refine_async (self->store, self->filter, self->ids, self->ids_version,
                             self->cancellable, on_query_done_cb, g_object_ref (self));
  else
    crm_store_query_async (self->store, self->filter, self->cancellable,
                           on_query_done_cb, g_object_ref (self));
}
