/* test-list-model.c: CrmLeadListModel over a real store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-lead-list-model.h"
#include "crm-test-util.h"

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct {
  StoreFixture      f;
  CrmLeadListModel *model;
  GArray           *changes;
  guint             loads_done;
} ModelFixture;

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ModelFixture *mf)
{
  Change c = { position, removed, added };

  g_array_append_val (mf->changes, c);
}

static void
on_loading_notify (GObject      *object,
                   GParamSpec   *pspec,
                   ModelFixture *mf)
{
  if (!crm_lead_list_model_get_loading (mf->model))
    mf->loads_done++;
}

static void
model_setup (ModelFixture  *mf,
             gconstpointer  data)
{
  static const char *currencies[] = { "EUR", "USD", "GBP" };
  static const char *units[] = { "north", "south" };

  store_fixture_setup (&mf->f, data);
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *title = g_strdup_printf ("Lead %02u", i);
      /* distinct volumes, 1000 apart, in a shuffled order */
      g_autofree char *volume = g_strdup_printf ("%u", ((i * 37) % 60 + 1) * 1000);
      g_autofree char *prob = g_strdup_printf ("%u", (i * 13) % 101);

      crm_test_create_lead (mf->f.store, title, "volume_minor", volume, "probability", prob,
                            "currency", currencies[i % 3], "unit", units[i % 2], NULL);
    }

  mf->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  mf->model = crm_lead_list_model_new (mf->f.store);
  g_signal_connect (mf->model, "items-changed", G_CALLBACK (on_items_changed), mf);
  g_signal_connect (mf->model, "notify::loading", G_CALLBACK (on_loading_notify), mf);
}

static gboolean
not_loading (gpointer data)
{
  ModelFixture *mf = data;

  return !crm_lead_list_model_get_loading (mf->model);
}

static gboolean
model_gone (gpointer data)
{
  ModelFixture *mf = data;

  return mf->model == NULL;
}

static gboolean
store_gone (gpointer data)
{
  ModelFixture *mf = data;

  return mf->f.store == NULL;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
model_teardown (ModelFixture  *mf,
                gconstpointer  data)
{
  /* A query that a newer one cancelled still holds a reference on the
   * model until its callback runs: wait for that, then for finalization. */
  /* worker threads dropping references do not wake the main context: poll */
  guint tick = g_timeout_add (5, tick_cb, NULL);

  g_assert_true (crm_test_wait_until (not_loading, mf, 10000));
  g_object_add_weak_pointer (G_OBJECT (mf->model), (gpointer *) &mf->model);
  g_object_unref (mf->model);
  g_assert_true (crm_test_wait_until (model_gone, mf, 10000));
  /* Likewise a finished query's task holds the store until its worker
   * thread lets go of it. */
  g_object_add_weak_pointer (G_OBJECT (mf->f.store), (gpointer *) &mf->f.store);
  g_object_unref (mf->f.store);
  g_assert_true (crm_test_wait_until (store_gone, mf, 10000));
  g_source_remove (tick);
  g_array_unref (mf->changes);
  store_fixture_teardown (&mf->f, data);
}

typedef struct {
  ModelFixture *mf;
  guint         loads;
} LoadWait;

static gboolean
load_done (gpointer data)
{
  LoadWait *w = data;

  return w->mf->loads_done > w->loads && !crm_lead_list_model_get_loading (w->mf->model);
}

static void
set_filter_and_wait (ModelFixture        *mf,
                     const CrmLeadFilter *filter)
{
  LoadWait w = { mf, mf->loads_done };

  crm_lead_list_model_set_filter (mf->model, filter);
  g_assert_true (crm_test_wait_until (load_done, &w, 10000));
}

static void
assert_model_matches_store (ModelFixture *mf)
{
  const CrmLeadFilter *filter = crm_lead_list_model_get_filter (mf->model);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = crm_store_query_lead_ids (mf->f.store, filter, 0, NULL, &error);
  g_autoptr(CrmLeadTotals) totals = crm_store_query_totals (mf->f.store, filter, NULL, &error);
  const CrmLeadTotals *model_totals = crm_lead_list_model_get_totals (mf->model);
  GListModel *list = G_LIST_MODEL (mf->model);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CrmLead) lead = g_list_model_get_item (list, i);

      g_assert_nonnull (lead);
      g_assert_cmpint (crm_lead_get_id (lead), ==, g_array_index (ids, gint64, i));
      g_assert_cmpint (crm_lead_list_model_get_id (mf->model, i), ==, g_array_index (ids, gint64, i));
      g_assert_cmpuint (crm_lead_list_model_find (mf->model, g_array_index (ids, gint64, i)), ==, i);
    }
  g_assert_null (g_list_model_get_item (list, ids->len));

  g_assert_nonnull (model_totals);
  g_assert_cmpint (model_totals->count, ==, totals->count);
  g_assert_cmpuint (model_totals->sums->len, ==, totals->sums->len);
  for (guint i = 0; i < totals->sums->len; i++)
    {
      const CrmCurrencySum *a = &g_array_index (model_totals->sums, CrmCurrencySum, i);
      const CrmCurrencySum *b = &g_array_index (totals->sums, CrmCurrencySum, i);

      g_assert_cmpstr (a->currency, ==, b->currency);
      g_assert_cmpint (a->count, ==, b->count);
      g_assert_cmpint (a->absolute_minor, ==, b->absolute_minor);
      g_assert_cmpint (a->weighted_minor, ==, b->weighted_minor);
    }
}

static void
test_filters (ModelFixture  *mf,
              gconstpointer  data)
{
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();

  filter->sort = CRM_LEAD_SORT_VOLUME;
  set_filter_and_wait (mf, filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 60);
  assert_model_matches_store (mf);

  crm_lead_filter_set_string (&filter->unit, "north");
  filter->descending = TRUE;
  set_filter_and_wait (mf, filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 30);
  assert_model_matches_store (mf);

  crm_lead_filter_set_string (&filter->search, "Lead 1");
  set_filter_and_wait (mf, filter);
  assert_model_matches_store (mf);

  crm_lead_filter_set_string (&filter->search, NULL);
  crm_lead_filter_set_string (&filter->unit, NULL);
  filter->sort = CRM_LEAD_SORT_PROBABILITY;
  set_filter_and_wait (mf, filter);
  assert_model_matches_store (mf);
}

static void
test_small_change (ModelFixture  *mf,
                   gconstpointer  data)
{
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  g_autoptr(CrmLead) moving = NULL;
  g_autoptr(CrmLead) target = NULL;
  g_autofree char *volume = NULL;
  LoadWait w = { mf, 0 };
  guint removed = 0, added = 0, first = G_MAXUINT, last = 0;

  filter->sort = CRM_LEAD_SORT_VOLUME;
  set_filter_and_wait (mf, filter);
  assert_model_matches_store (mf);

  /* Move the lead at position 20 to just after the one at 25. */
  moving = g_list_model_get_item (G_LIST_MODEL (mf->model), 20);
  target = g_list_model_get_item (G_LIST_MODEL (mf->model), 25);
  volume = g_strdup_printf ("%" G_GINT64_FORMAT, crm_lead_get_volume_minor (target) + 1);

  g_array_set_size (mf->changes, 0);
  w.loads = mf->loads_done;
  crm_test_update_lead (mf->f.store, crm_lead_get_id (moving), "volume_minor", volume, NULL);
  g_assert_true (crm_test_wait_until (load_done, &w, 10000));

  g_assert_cmpuint (mf->changes->len, >=, 1);
  for (guint i = 0; i < mf->changes->len; i++)
    {
      const Change *c = &g_array_index (mf->changes, Change, i);

      g_test_message ("items-changed (%u, %u, %u)", c->position, c->removed, c->added);
      removed += c->removed;
      added += c->added;
      first = MIN (first, c->position);
      last = MAX (last, c->position + MAX (c->removed, c->added));
    }
  g_assert_cmpuint (removed, ==, added);
  g_assert_cmpuint (first, >=, 20);
  g_assert_cmpuint (last, <=, 26);
  g_assert_cmpuint (removed, <=, 6);
  g_assert_cmpuint (crm_lead_list_model_find (mf->model, crm_lead_get_id (moving)), ==, 25);
  assert_model_matches_store (mf);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/list-model/filters", ModelFixture, NULL, model_setup, test_filters, model_teardown);
  g_test_add ("/store/list-model/small-change", ModelFixture, NULL, model_setup, test_small_change, model_teardown);

  return g_test_run ();
}
