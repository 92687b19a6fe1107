/* test-list-model.c: CrmLeadListModel over a real store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-lead-list-model.h"
#include "crm-store-private.h"
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
  GArray           *mirror;    /* when set: the ids, as items-changed tells them */
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

  /* a view's copy of the list, kept by the signal alone */
  if (mf->mirror != NULL)
    {
      g_assert_cmpuint (position + removed, <=, mf->mirror->len);
      g_array_remove_range (mf->mirror, position, removed);
      for (guint i = 0; i < added; i++)
        {
          gint64 id = crm_lead_list_model_get_id (mf->model, position + i);

          g_array_insert_val (mf->mirror, position + i, id);
        }
      g_assert_cmpuint (mf->mirror->len, ==, g_list_model_get_n_items (model));
    }
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
  g_clear_pointer (&mf->mirror, g_array_unref);
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

/* A paused model does not query after a change; it queries once when it
 * is resumed, and then lists what the store has. */
static void
test_paused (ModelFixture  *mf,
             gconstpointer  data)
{
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  LoadWait w = { mf, 0 };
  guint loads;
  gint64 id;

  filter->sort = CRM_LEAD_SORT_TITLE;
  set_filter_and_wait (mf, filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 60);

  crm_lead_list_model_set_paused (mf->model, TRUE);
  g_assert_true (crm_lead_list_model_get_paused (mf->model));
  loads = mf->loads_done;
  id = crm_test_create_lead (mf->f.store, "Lead 99", NULL);
  g_assert_cmpint (id, >, 0);
  crm_test_update_lead (mf->f.store, crm_lead_list_model_get_id (mf->model, 0), "volume_minor", "4242", NULL);

  /* the main loop runs: still no query, the old ids */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (crm_lead_list_model_get_loading (mf->model));
  g_assert_cmpuint (mf->loads_done, ==, loads);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 60);
  g_assert_cmpuint (crm_lead_list_model_find (mf->model, id), ==, G_MAXUINT);

  /* resumed: one query, current */
  w.loads = mf->loads_done;
  crm_lead_list_model_set_paused (mf->model, FALSE);
  g_assert_true (crm_test_wait_until (load_done, &w, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 61);
  g_assert_cmpuint (crm_lead_list_model_find (mf->model, id), !=, G_MAXUINT);
  assert_model_matches_store (mf);

  /* resumed without a change in between: no query */
  loads = mf->loads_done;
  crm_lead_list_model_set_paused (mf->model, TRUE);
  crm_lead_list_model_set_paused (mf->model, FALSE);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (mf->loads_done, ==, loads);
  g_assert_false (crm_lead_list_model_get_loading (mf->model));
}

static void
set_search_and_wait (ModelFixture  *mf,
                     CrmLeadFilter *filter,
                     const char    *search)
{
  crm_lead_filter_set_string (&filter->search, search);
  set_filter_and_wait (mf, filter);
  assert_model_matches_store (mf);

  /* items-changed told a view exactly this list */
  g_assert_cmpuint (mf->mirror->len, ==, g_list_model_get_n_items (G_LIST_MODEL (mf->model)));
  for (guint i = 0; i < mf->mirror->len; i++)
    g_assert_cmpint (g_array_index (mf->mirror, gint64, i), ==, crm_lead_list_model_get_id (mf->model, i));
}

static void
wait_for_refresh (ModelFixture *mf,
                  guint         loads)
{
  LoadWait w = { mf, loads };

  g_assert_true (crm_test_wait_until (load_done, &w, 10000));
  assert_model_matches_store (mf);
}

static gint64
model_sum (ModelFixture *mf,
           const char   *currency)
{
  const CrmLeadTotals *totals = crm_lead_list_model_get_totals (mf->model);

  for (guint i = 0; i < totals->sums->len; i++)
    if (g_strcmp0 (g_array_index (totals->sums, CrmCurrencySum, i).currency, currency) == 0)
      return g_array_index (totals->sums, CrmCurrencySum, i).absolute_minor;

  return 0;
}

/* A widening keystroke (backspace) reuses the result the model had for
 * that search, which is exactly what the store's query gives; after a
 * change, by this store or by another connection, it queries again. */
static void
test_widening (ModelFixture  *mf,
               gconstpointer  data)
{
  static const char *currencies[] = { "EUR", "USD", "GBP" };
  static const char *names[] = { "Nordwind", "Nordstern", "Normandie" };
  g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
  gint64 nordwind_3 = 0, nordstern_2 = 0, nordstern_2_volume = 0;
  guint reused, loads;

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    for (guint i = 0; i < 12; i++)
      {
        g_autofree char *title = g_strdup_printf ("%s %u", names[n], i);
        g_autofree char *volume = g_strdup_printf ("%u", 500 + ((i * 7 + n * 5) % 12) * 1000);
        gint64 id = crm_test_create_lead (mf->f.store, title, "volume_minor", volume,
                                          "probability", "40", "currency", currencies[(i + n) % 3], NULL);

        if (n == 0 && i == 3)
          nordwind_3 = id;
        if (n == 1 && i == 2)
          {
            nordstern_2 = id;
            nordstern_2_volume = 500 + ((2 * 7 + 1 * 5) % 12) * 1000;
          }
      }

  filter->sort = CRM_LEAD_SORT_VOLUME;
  filter->descending = TRUE;
  set_filter_and_wait (mf, filter);
  assert_model_matches_store (mf);
  mf->mirror = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (mf->model)); i++)
    {
      gint64 id = crm_lead_list_model_get_id (mf->model, i);

      g_array_append_val (mf->mirror, id);
    }

  /* typing narrows; each keystroke's result is the store's */
  set_search_and_wait (mf, filter, "N");
  set_search_and_wait (mf, filter, "No");
  set_search_and_wait (mf, filter, "Nor");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 36);
  set_search_and_wait (mf, filter, "Nord");
  set_search_and_wait (mf, filter, "Nordw");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 12);

  /* backspace: the kept results, the same as the query's */
  reused = _crm_lead_list_model_get_n_reused (mf->model);
  set_search_and_wait (mf, filter, "Nord");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 24);
  set_search_and_wait (mf, filter, "Nor");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 36);
  g_assert_cmpuint (_crm_lead_list_model_get_n_reused (mf->model), ==, reused + 2);
  /* and forward again, by a filter set before */
  set_search_and_wait (mf, filter, "Nordw");
  g_assert_cmpuint (_crm_lead_list_model_get_n_reused (mf->model), ==, reused + 3);

  /* an edit through the store: a matching lead no longer matches */
  reused = _crm_lead_list_model_get_n_reused (mf->model);
  loads = mf->loads_done;
  crm_test_update_lead (mf->f.store, nordwind_3, "title", "Southwind 3", NULL);
  wait_for_refresh (mf, loads);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 11);
  set_search_and_wait (mf, filter, "Nord");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 23);
  g_assert_cmpuint (crm_lead_list_model_find (mf->model, nordwind_3), ==, G_MAXUINT);
  set_search_and_wait (mf, filter, "Nor");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mf->model)), ==, 35);
  g_assert_cmpuint (_crm_lead_list_model_get_n_reused (mf->model), ==, reused);

  /* its volume: the order and the totals change ("Nord" is as kept after
   * the edit above) */
  set_search_and_wait (mf, filter, "Nord");
  g_assert_cmpuint (_crm_lead_list_model_get_n_reused (mf->model), ==, reused + 1);
  reused = _crm_lead_list_model_get_n_reused (mf->model);
  loads = mf->loads_done;
  crm_test_update_lead (mf->f.store, nordstern_2, "volume_minor", "99000", NULL);
  nordstern_2_volume = 99000;
  wait_for_refresh (mf, loads);
  g_assert_cmpuint (crm_lead_list_model_find (mf->model, nordstern_2), ==, 0);
  set_search_and_wait (mf, filter, "Nor");
  g_assert_cmpuint (crm_lead_list_model_find (mf->model, nordstern_2), ==, 0);
  g_assert_cmpuint (_crm_lead_list_model_get_n_reused (mf->model), ==, reused);

  /* another connection writes: no signal, but the data version changes */
  set_search_and_wait (mf, filter, "Nord");
  g_assert_cmpuint (_crm_lead_list_model_get_n_reused (mf->model), ==, reused + 1);
  reused = _crm_lead_list_model_get_n_reused (mf->model);
  {
    const char *currency = currencies[(2 + 1) % 3];
    gint64 before = model_sum (mf, currency);

    crm_test_raw_exec (mf->f.raw, "UPDATE lead SET volume_minor = 500 WHERE id = %lld",
                       (long long) nordstern_2);
    set_search_and_wait (mf, filter, "Nor");
    g_assert_cmpuint (_crm_lead_list_model_get_n_reused (mf->model), ==, reused);
    g_assert_cmpuint (crm_lead_list_model_find (mf->model, nordstern_2), !=, 0);
    set_search_and_wait (mf, filter, "Nord");
    g_assert_cmpuint (_crm_lead_list_model_get_n_reused (mf->model), ==, reused);
    g_assert_cmpint (model_sum (mf, currency), ==, before - nordstern_2_volume + 500);
  }

  /* unchanged since: reused again */
  set_search_and_wait (mf, filter, "Nor");
  g_assert_cmpuint (_crm_lead_list_model_get_n_reused (mf->model), ==, reused + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/list-model/filters", ModelFixture, NULL, model_setup, test_filters, model_teardown);
  g_test_add ("/store/list-model/small-change", ModelFixture, NULL, model_setup, test_small_change, model_teardown);
  g_test_add ("/store/list-model/paused", ModelFixture, NULL, model_setup, test_paused, model_teardown);
  g_test_add ("/store/list-model/widening", ModelFixture, NULL, model_setup, test_widening, model_teardown);

  return g_test_run ();
}
