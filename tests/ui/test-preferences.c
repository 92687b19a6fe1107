/* test-preferences.c: the preferences window on a real store, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test opens a store on a fresh temporary file, presents the real
 * CrmPreferencesWindow and works it through its widgets (entries, spin
 * buttons, switches, the rows' actions), then checks what the store holds
 * and what the window shows (rows, toasts).
 */
#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "crm-application.h"
#include "crm-exchange-rates-group.h"
#include "crm-key-value-row.h"
#include "crm-preferences-window.h"
#include "crm-store.h"
#include "crm-ui-test.h"

typedef struct
{
  char      *dir;
  char      *path;
  CrmStore  *store;
  GtkWindow *window;
} Fixture;

/* ---------------------------------------------------------------- helpers */

static void
flush_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GtkWidget *
find_one (GtkWidget *widget,
          GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (widget, type, found);
  g_assert_cmpuint (found->len, ==, 1);

  return g_ptr_array_index (found, 0);
}

/* The preferences group that shows the values of @kind. */
static AdwPreferencesGroup *
find_group (Fixture    *fixture,
            const char *kind)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();

  collect (GTK_WIDGET (fixture->window), ADW_TYPE_PREFERENCES_GROUP, groups);
  for (guint i = 0; i < groups->len; i++)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      collect (g_ptr_array_index (groups, i), CRM_TYPE_KEY_VALUE_ROW, rows);
      if (rows->len > 0 &&
          g_strcmp0 (crm_key_value_get_kind (crm_key_value_row_get_key_value (g_ptr_array_index (rows, 0))), kind) == 0)
        return g_ptr_array_index (groups, i);
    }

  g_assert_not_reached ();
}

static GPtrArray *
find_rows (Fixture    *fixture,
           const char *kind)
{
  GPtrArray *rows = g_ptr_array_new ();

  collect (GTK_WIDGET (find_group (fixture, kind)), CRM_TYPE_KEY_VALUE_ROW, rows);
  return rows;
}

static CrmKeyValueRow *
find_row (Fixture    *fixture,
          const char *kind,
          const char *label)
{
  g_autoptr(GPtrArray) rows = find_rows (fixture, kind);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_editable_get_text (g_ptr_array_index (rows, i)), label) == 0)
      return g_ptr_array_index (rows, i);

  return NULL;
}

/* The last row of a group: an entry row to add a value. */
static AdwEntryRow *
find_add_row (Fixture    *fixture,
              const char *kind)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  AdwEntryRow *add_row = NULL;

  collect (GTK_WIDGET (find_group (fixture, kind)), ADW_TYPE_ENTRY_ROW, entries);
  for (guint i = 0; i < entries->len; i++)
    if (!CRM_IS_KEY_VALUE_ROW (g_ptr_array_index (entries, i)))
      {
        g_assert_null (add_row);
        add_row = g_ptr_array_index (entries, i);
      }

  g_assert_nonnull (add_row);
  g_assert_null (gtk_widget_get_next_sibling (GTK_WIDGET (add_row)));
  return add_row;
}

static GtkButton *
find_add_button (AdwEntryRow *add_row)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (GTK_WIDGET (add_row), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_icon_name (g_ptr_array_index (buttons, i)), "list-add-symbolic") == 0)
      return g_ptr_array_index (buttons, i);

  g_assert_not_reached ();
}

/* The probability of a row, as shown when the row is wide. */
static GtkSpinButton *
row_spin (CrmKeyValueRow *row)
{
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();

  collect (GTK_WIDGET (row), GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, >=, 1);

  return g_ptr_array_index (spins, 0);
}

static GtkButton *
find_row_button (CrmKeyValueRow *row,
                 const char     *action_name)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (GTK_WIDGET (row), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), action_name) == 0)
      return g_ptr_array_index (buttons, i);

  g_assert_not_reached ();
}

/* What a pointer click or Space does (gtk_widget_activate() on a button
 * only clicks after a delay). */
static void
click (GtkButton *button)
{
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static GtkButton *
find_button_with_label (Fixture    *fixture,
                        const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkButton *found = NULL;

  collect (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      found = g_ptr_array_index (buttons, i);  /* the newest toast is last */

  g_assert_nonnull (found);
  return found;
}

/* Lets animations (a toast appearing, say) run their course. */
static void
wait_a_moment (void)
{
  gint64 end = g_get_monotonic_time () + 700 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
  flush_events ();
}

/* Closes the toast shown, as its close button does, so that the next one
 * in the queue shows. (Only once it has appeared: libadwaita 1.2.2 crashes
 * on toasts dismissed during their show animation.) */
static void
close_toast (Fixture *fixture)
{
  GType toast_widget_type = g_type_from_name ("AdwToastWidget");
  g_autoptr(GPtrArray) toasts = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  wait_a_moment ();
  g_assert_true (toast_widget_type != G_TYPE_INVALID);
  collect (GTK_WIDGET (fixture->window), toast_widget_type, toasts);
  g_assert_cmpuint (toasts->len, >=, 1);
  collect (g_ptr_array_index (toasts, toasts->len - 1), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_icon_name (g_ptr_array_index (buttons, i)), "window-close-symbolic") == 0)
      {
        click (g_ptr_array_index (buttons, i));
        flush_events ();
        return;
      }

  g_assert_not_reached ();
}

/* Whether the window shows @text in a label (toasts are labels too). */
static gboolean
shows_text (Fixture    *fixture,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_visible (g_ptr_array_index (labels, i)) &&
        g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;

  return FALSE;
}

static CrmKeyValue *
store_value (Fixture    *fixture,
             const char *kind,
             const char *key)
{
  return crm_store_lookup_key_value (fixture->store, kind, key);
}

static char *
store_labels (Fixture    *fixture,
              const char *kind)
{
  g_autoptr(GListModel) values = crm_store_list_key_values (fixture->store, kind, TRUE);
  g_autoptr(GString) labels = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (values); i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);

      if (i > 0)
        g_string_append (labels, ",");
      g_string_append (labels, crm_key_value_get_label (kv));
    }

  return g_strdup (labels->str);
}

static char *
row_labels (Fixture    *fixture,
            const char *kind)
{
  g_autoptr(GPtrArray) rows = find_rows (fixture, kind);
  g_autoptr(GString) labels = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      if (i > 0)
        g_string_append (labels, ",");
      g_string_append (labels, gtk_editable_get_text (g_ptr_array_index (rows, i)));
    }

  return g_strdup (labels->str);
}

/* --------------------------------------------------------------- fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("leads-test-preferences-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "leads.db", NULL);
  fixture->store = crm_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);

  fixture->window = crm_preferences_window_new (fixture->store, NULL);
  g_assert_true (CRM_IS_PREFERENCES_WINDOW (fixture->window));
  gtk_window_present (fixture->window);
  flush_events ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_object_add_weak_pointer (G_OBJECT (fixture->window), (gpointer *) &fixture->window);
  gtk_window_destroy (fixture->window);
  flush_events ();
  g_assert_null (fixture->window);
  g_assert_finalize_object (fixture->store);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* ----------------------------------------------------------------- tests */

static void
test_groups (Fixture       *fixture,
             gconstpointer  data)
{
  static const char *kinds[] = { "phase", "status", "type", "unit", "source", "lost_reason", "activity_kind" };
  GtkWidget *previous = NULL;

  g_assert_true (adw_preferences_window_get_search_enabled (ADW_PREFERENCES_WINDOW (fixture->window)));

  /* one group per list, in this order, each with a row per value (the
   * inactive ones too) and the "add" row last */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      AdwPreferencesGroup *group = find_group (fixture, kinds[i]);
      g_autofree char *expected = store_labels (fixture, kinds[i]);
      g_autofree char *shown = row_labels (fixture, kinds[i]);

      g_assert_cmpstr (adw_preferences_group_get_title (group), !=, "");
      g_assert_cmpstr (adw_preferences_group_get_description (group), !=, "");
      g_assert_cmpstr (shown, ==, expected);
      find_add_row (fixture, kinds[i]);

      if (previous != NULL)
        g_assert_true (gtk_widget_get_next_sibling (previous) == GTK_WIDGET (group));
      previous = GTK_WIDGET (group);
    }

  /* probabilities only for phases */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row_spin (find_row (fixture, "phase", "Proposal")))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row_spin (find_row (fixture, "type", "Upsell")))));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (row_spin (find_row (fixture, "phase", "Proposal"))), ==, 50);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row_spin (find_row (fixture, "phase", "Proposal")))), ==, "50%");
}

static void
test_general (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) combos = g_ptr_array_new ();
  g_autofree char *currency = NULL;
  g_autofree char *author = NULL;
  AdwEntryRow *author_row = NULL;
  AdwComboRow *currency_row = NULL;
  GListModel *model;
  guint usd = GTK_INVALID_LIST_POSITION;

  collect (GTK_WIDGET (fixture->window), ADW_TYPE_ENTRY_ROW, entries);
  for (guint i = 0; i < entries->len && author_row == NULL; i++)
    if (!CRM_IS_KEY_VALUE_ROW (g_ptr_array_index (entries, i)))
      author_row = g_ptr_array_index (entries, i);  /* the first page comes first */
  g_assert_nonnull (author_row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (author_row)), ==, "");

  /* the name is applied to the store at once */
  gtk_editable_set_text (GTK_EDITABLE (author_row), "  Ada Lovelace ");
  g_signal_emit_by_name (author_row, "apply");
  author = g_settings_get_string (settings, "author-name");
  g_assert_cmpstr (author, ==, "Ada Lovelace");
  g_assert_cmpstr (crm_store_get_author (fixture->store), ==, "Ada Lovelace");

  /* empty: the account's name */
  gtk_editable_set_text (GTK_EDITABLE (author_row), "");
  g_signal_emit_by_name (author_row, "apply");
  g_clear_pointer (&author, g_free);
  author = g_settings_get_string (settings, "author-name");
  g_assert_cmpstr (author, ==, "");
  g_assert_cmpstr (crm_store_get_author (fixture->store), !=, "Ada Lovelace");
  g_assert_cmpstr (crm_store_get_author (fixture->store), !=, "");

  /* the currency is bound to the setting, both ways */
  collect (GTK_WIDGET (fixture->window), ADW_TYPE_COMBO_ROW, combos);
  for (guint i = 0; i < combos->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (combos, i)), "Company currency") == 0)
      {
        g_assert_null (currency_row);
        currency_row = g_ptr_array_index (combos, i);
      }
  g_assert_nonnull (currency_row);
  model = adw_combo_row_get_model (currency_row);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 100);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), adw_combo_row_get_selected (currency_row)),
                   ==, "EUR");
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "USD") == 0)
      usd = i;
  adw_combo_row_set_selected (currency_row, usd);
  currency = g_settings_get_string (settings, "company-currency");
  g_assert_cmpstr (currency, ==, "USD");

  g_settings_set_string (settings, "company-currency", "CHF");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), adw_combo_row_get_selected (currency_row)),
                   ==, "CHF");
  g_settings_reset (settings, "company-currency");
}

static void
test_add (Fixture       *fixture,
          gconstpointer  data)
{
  AdwEntryRow *add_row = find_add_row (fixture, "phase");
  GtkButton *add_button = find_add_button (add_row);
  GtkSpinButton *probability = GTK_SPIN_BUTTON (find_one (GTK_WIDGET (add_row), GTK_TYPE_SPIN_BUTTON));
  g_autoptr(GPtrArray) rows = find_rows (fixture, "phase");
  guint n_rows = rows->len;
  CrmKeyValue *tender;
  CrmKeyValueRow *row;
  g_autofree char *labels = NULL;

  /* nothing to add yet */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (add_button)));

  gtk_editable_set_text (GTK_EDITABLE (add_row), "Tender");
  gtk_spin_button_set_value (probability, 40);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (add_button)));
  click (add_button);

  tender = store_value (fixture, "phase", "tender");
  g_assert_nonnull (tender);
  g_assert_cmpstr (crm_key_value_get_label (tender), ==, "Tender");
  g_assert_cmpint (crm_key_value_get_probability (tender), ==, 40);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add_row)), ==, "");

  flush_events ();
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = find_rows (fixture, "phase");
  g_assert_cmpuint (rows->len, ==, n_rows + 1);
  row = g_ptr_array_index (rows, n_rows);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Tender");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (row_spin (row)), ==, 40);
  g_assert_true (find_add_row (fixture, "phase") == add_row);  /* still last */

  /* a duplicate (ignoring case) is refused and explained */
  gtk_editable_set_text (GTK_EDITABLE (add_row), "tender");
  g_signal_emit_by_name (add_row, "entry-activated");
  flush_events ();
  g_assert_true (shows_text (fixture, "“tender” exists already"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (add_row), "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add_row)), ==, "tender");
  labels = store_labels (fixture, "phase");
  g_assert_cmpstr (labels, ==, "Lead,Qualification,Needs analysis,Proposal,Negotiation,Decision,Tender");

  /* a status with the class chosen in the drop-down */
  add_row = find_add_row (fixture, "status");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_one (GTK_WIDGET (add_row), GTK_TYPE_DROP_DOWN)),
                              CRM_STATUS_CLASS_WON);
  gtk_editable_set_text (GTK_EDITABLE (add_row), "Signed");
  click (find_add_button (add_row));
  g_assert_nonnull (store_value (fixture, "status", "signed"));
  g_assert_cmpint (crm_key_value_get_status_class (store_value (fixture, "status", "signed")), ==, CRM_STATUS_CLASS_WON);
  flush_events ();
  row = find_row (fixture, "status", "Signed");
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Counts as won"));
}

static void
test_rename (Fixture       *fixture,
             gconstpointer  data)
{
  CrmKeyValueRow *row = find_row (fixture, "phase", "Proposal");

  gtk_editable_set_text (GTK_EDITABLE (row), "Offer");
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpstr (crm_key_value_get_label (store_value (fixture, "phase", "proposal")), ==, "Offer");
  flush_events ();
  g_assert_true (find_row (fixture, "phase", "Offer") == row);
  g_assert_null (find_row (fixture, "phase", "Proposal"));

  /* a label another phase has: refused, shown, and the row reverts */
  gtk_editable_set_text (GTK_EDITABLE (row), "Lead");
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpstr (crm_key_value_get_label (store_value (fixture, "phase", "proposal")), ==, "Offer");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Offer");
  flush_events ();
  g_assert_true (shows_text (fixture, "“Lead” exists already"));

  /* and an empty one (its toast waits for the first to go) */
  gtk_editable_set_text (GTK_EDITABLE (row), "   ");
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpstr (crm_key_value_get_label (store_value (fixture, "phase", "proposal")), ==, "Offer");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Offer");
  close_toast (fixture);
  g_assert_true (shows_text (fixture, "A name is required"));
}

static void
test_probability_and_order (Fixture       *fixture,
                            gconstpointer  data)
{
  CrmKeyValueRow *row = find_row (fixture, "phase", "Lead");
  g_autofree char *labels = NULL;
  g_autofree char *shown = NULL;

  gtk_spin_button_set_value (row_spin (row), 15);
  g_assert_cmpint (crm_key_value_get_probability (store_value (fixture, "phase", "lead")), ==, 15);
  {
    /* the narrower layouts show the same probability */
    g_autoptr(GPtrArray) spins = g_ptr_array_new ();

    collect (GTK_WIDGET (row), GTK_TYPE_SPIN_BUTTON, spins);
    g_assert_cmpuint (spins->len, >=, 2);
    for (guint i = 0; i < spins->len; i++)
      g_assert_cmpint (gtk_spin_button_get_value_as_int (g_ptr_array_index (spins, i)), ==, 15);
  }

  /* the first value cannot move up; down it goes */
  flush_events ();
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (find_row_button (row, "key-value.move-up"))));
  click (find_row_button (row, "key-value.move-down"));
  labels = store_labels (fixture, "phase");
  g_assert_cmpstr (labels, ==, "Qualification,Lead,Needs analysis,Proposal,Negotiation,Decision");
  flush_events ();
  shown = row_labels (fixture, "phase");
  g_assert_cmpstr (shown, ==, labels);

  row = find_row (fixture, "phase", "Decision");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (find_row_button (row, "key-value.move-down"))));
  click (find_row_button (row, "key-value.move-up"));
  g_clear_pointer (&labels, g_free);
  labels = store_labels (fixture, "phase");
  g_assert_cmpstr (labels, ==, "Qualification,Lead,Needs analysis,Proposal,Decision,Negotiation");
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const CrmFieldValue values[] = { { "title", "Forklifts for Hamburg" }, { "phase", "proposal" } };
  CrmKeyValueRow *row = find_row (fixture, "phase", "Proposal");
  GtkButton *delete_button = find_row_button (row, "key-value.delete");
  g_autofree char *labels = NULL;
  gint64 lead;

  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (delete_button)));

  /* A lead takes the phase while the row still offers to delete it: the
   * store refuses, the window says why, nothing is lost. */
  lead = crm_store_create_lead (fixture->store, values, G_N_ELEMENTS (values), &error);
  g_assert_no_error (error);
  g_assert_cmpint (lead, >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "key-value.delete", NULL));
  g_assert_nonnull (store_value (fixture, "phase", "proposal"));
  flush_events ();
  g_assert_true (shows_text (fixture, "“Proposal” is used by 1 record; deactivate it instead"));

  /* now the row knows: delete is disabled and the tooltip explains */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (delete_button)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (delete_button)), ==,
                   "Used by 1 lead or report — deactivate it instead");
  g_assert_true (g_str_has_suffix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Used by 1 lead or report"));

  /* an unused value goes */
  row = find_row (fixture, "type", "Service");
  click (find_row_button (row, "key-value.delete"));
  g_assert_null (store_value (fixture, "type", "service"));
  flush_events ();
  g_assert_null (find_row (fixture, "type", "Service"));
  labels = row_labels (fixture, "type");
  g_assert_cmpstr (labels, ==, "New business,Upsell,Renewal");
  close_toast (fixture);
  g_assert_true (shows_text (fixture, "“Service” deleted"));

  /* … and comes back with Undo, where it was, inactive as it was */
  row = find_row (fixture, "type", "Upsell");
  gtk_switch_set_active (GTK_SWITCH (find_one (GTK_WIDGET (row), GTK_TYPE_SWITCH)), FALSE);
  flush_events ();
  gtk_widget_activate_action (GTK_WIDGET (row), "key-value.delete", NULL);
  g_assert_null (store_value (fixture, "type", "upsell"));
  close_toast (fixture);
  g_assert_true (shows_text (fixture, "“Upsell” deleted"));
  wait_a_moment ();
  click (find_button_with_label (fixture, "_Undo"));
  g_assert_nonnull (store_value (fixture, "type", "upsell"));
  g_assert_false (crm_key_value_get_active (store_value (fixture, "type", "upsell")));
  g_clear_pointer (&labels, g_free);
  labels = store_labels (fixture, "type");
  g_assert_cmpstr (labels, ==, "New business,Upsell,Renewal");
  flush_events ();
  g_clear_pointer (&labels, g_free);
  labels = row_labels (fixture, "type");
  g_assert_cmpstr (labels, ==, "New business,Upsell,Renewal");
}

static void
test_deactivate (Fixture       *fixture,
                 gconstpointer  data)
{
  CrmKeyValueRow *row = find_row (fixture, "status", "Cancelled");
  GtkSwitch *active = GTK_SWITCH (find_one (GTK_WIDGET (row), GTK_TYPE_SWITCH));

  g_assert_true (gtk_switch_get_active (active));
  gtk_switch_set_active (active, FALSE);
  g_assert_false (crm_key_value_get_active (store_value (fixture, "status", "cancelled")));
  flush_events ();
  row = find_row (fixture, "status", "Cancelled");
  g_assert_nonnull (row);  /* inactive values stay listed, dimmed */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "dim-label"));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (find_one (GTK_WIDGET (row), GTK_TYPE_SWITCH))));
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Inactive"));

  /* and back */
  gtk_switch_set_active (GTK_SWITCH (find_one (GTK_WIDGET (row), GTK_TYPE_SWITCH)), TRUE);
  g_assert_true (crm_key_value_get_active (store_value (fixture, "status", "cancelled")));
  flush_events ();
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "dim-label"));

  /* the last open status must stay active */
  gtk_switch_set_active (GTK_SWITCH (find_one (GTK_WIDGET (find_row (fixture, "status", "On hold")), GTK_TYPE_SWITCH)), FALSE);
  g_assert_false (crm_key_value_get_active (store_value (fixture, "status", "on_hold")));
  flush_events ();
  row = find_row (fixture, "status", "Open");
  active = GTK_SWITCH (find_one (GTK_WIDGET (row), GTK_TYPE_SWITCH));
  gtk_switch_set_active (active, FALSE);
  g_assert_true (crm_key_value_get_active (store_value (fixture, "status", "open")));
  g_assert_true (gtk_switch_get_active (active));
  flush_events ();
  g_assert_true (shows_text (fixture, "“Open” is the last active value of its kind and must stay active"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "dim-label"));

  /* deleting it is refused the same way (it is not used by any lead) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "key-value.delete", NULL));
  g_assert_nonnull (store_value (fixture, "status", "open"));
  g_assert_true (crm_key_value_get_active (store_value (fixture, "status", "open")));
}

/* After a move or a delete, the keyboard focus stays with the value (or
 * goes to its neighbour), not somewhere at the top of the window. */
static void
test_focus (Fixture       *fixture,
            gconstpointer  data)
{
  CrmKeyValueRow *row;
  GtkButton *button;
  GtkWidget *focus;

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (fixture->window), "key-values");
  wait_a_moment ();

  row = find_row (fixture, "phase", "Lead");
  button = find_row_button (row, "key-value.move-down");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (button)));
  click (button);
  flush_events ();
  row = find_row (fixture, "phase", "Lead");
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (focus == GTK_WIDGET (find_row_button (row, "key-value.move-down")));
  g_assert_cmpint (crm_key_value_row_get_focus_part (row), ==, CRM_KEY_VALUE_ROW_PART_MOVE_DOWN);

  /* to the end: the disabled button hands the focus to the other one */
  for (guint i = 0; i < 4; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (row), "key-value.move-down", NULL);
      flush_events ();
      row = find_row (fixture, "phase", "Lead");
    }
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (find_row_button (row, "key-value.move-down"))));
  g_assert_cmpint (crm_key_value_row_get_focus_part (row), ==, CRM_KEY_VALUE_ROW_PART_MOVE_UP);

  /* deleted: its neighbour takes the focus */
  row = find_row (fixture, "type", "Upsell");
  button = find_row_button (row, "key-value.delete");
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (button)));
  click (button);
  flush_events ();
  row = find_row (fixture, "type", "Renewal");
  g_assert_cmpint (crm_key_value_row_get_focus_part (row), ==, CRM_KEY_VALUE_ROW_PART_DELETE);

  /* added: the "add" row keeps it for the next one */
  {
    AdwEntryRow *add_row = find_add_row (fixture, "source");

    gtk_widget_grab_focus (GTK_WIDGET (add_row));
    gtk_editable_set_text (GTK_EDITABLE (add_row), "Newsletter");
    g_signal_emit_by_name (add_row, "entry-activated");
    flush_events ();
    g_assert_nonnull (store_value (fixture, "source", "newsletter"));
    focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
    g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (add_row)));
    wait_a_moment ();  /* and keeps it after the next frames */
    focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
    g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (add_row)));
  }

  /* the last one deleted: the one before it takes the focus, for good */
  row = find_row (fixture, "activity_kind", "Note");
  button = find_row_button (row, "key-value.delete");
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (button)));
  click (button);
  flush_events ();
  g_assert_null (store_value (fixture, "activity_kind", "note"));
  row = find_row (fixture, "activity_kind", "E-mail");
  g_assert_cmpint (crm_key_value_row_get_focus_part (row), ==, CRM_KEY_VALUE_ROW_PART_DELETE);
  wait_a_moment ();
  g_assert_cmpint (crm_key_value_row_get_focus_part (row), ==, CRM_KEY_VALUE_ROW_PART_DELETE);
}

/* Exchange rates: added with an exact decimal, a bad value refused on its
 * row with nothing saved, edited, removed. */
static void
test_rates (Fixture       *fixture,
            gconstpointer  data)
{
  CrmExchangeRatesGroup *group = CRM_EXCHANGE_RATES_GROUP (find_one (GTK_WIDGET (fixture->window),
                                                                     CRM_TYPE_EXCHANGE_RATES_GROUP));
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  g_autoptr(GArray) rates = NULL;
  GtkDropDown *currency;
  GtkEntry *add_entry = NULL;
  GtkEntry *rate_entry = NULL;
  GListModel *codes;
  AdwActionRow *add_row;

  g_assert_cmpuint (crm_exchange_rates_group_get_n_rows (group), ==, 0);

  collect (GTK_WIDGET (group), GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 1);
  currency = g_ptr_array_index (dropdowns, 0);
  codes = gtk_drop_down_get_model (currency);
  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      g_autoptr(GtkStringObject) code = g_list_model_get_item (codes, i);

      /* the company currency never needs a rate */
      g_assert_cmpstr (gtk_string_object_get_string (code), !=, crm_store_get_default_currency (fixture->store));
      if (g_str_equal (gtk_string_object_get_string (code), "USD"))
        gtk_drop_down_set_selected (currency, i);
    }

  collect (GTK_WIDGET (group), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  add_entry = g_ptr_array_index (entries, 0);
  add_row = ADW_ACTION_ROW (gtk_widget_get_ancestor (GTK_WIDGET (add_entry), ADW_TYPE_ACTION_ROW));

  /* not a number: refused on the row, nothing saved */
  gtk_editable_set_text (GTK_EDITABLE (add_entry), "1.08.25");
  g_signal_emit_by_name (add_entry, "activate");
  flush_events ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (add_entry), "error"));
  g_assert_nonnull (adw_action_row_get_subtitle (add_row));
  rates = crm_store_list_rates (fixture->store);
  g_assert_cmpuint (rates->len, ==, 0);
  g_clear_pointer (&rates, g_array_unref);

  /* an exact decimal: saved as micro-units, a row appears */
  gtk_editable_set_text (GTK_EDITABLE (add_entry), "1.0825");
  g_signal_emit_by_name (add_entry, "activate");
  flush_events ();
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (add_entry), "error"));
  g_assert_cmpint (crm_store_get_rate (fixture->store, "USD"), ==, 1082500);
  g_assert_cmpuint (crm_exchange_rates_group_get_n_rows (group), ==, 1);

  /* edited on its row: 0 is refused by the store and shown there */
  g_ptr_array_set_size (entries, 0);
  collect (GTK_WIDGET (group), GTK_TYPE_ENTRY, entries);
  for (guint i = 0; i < entries->len; i++)
    if (g_ptr_array_index (entries, i) != add_entry)
      rate_entry = g_ptr_array_index (entries, i);
  g_assert_nonnull (rate_entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rate_entry)), ==, "1.0825");
  gtk_editable_set_text (GTK_EDITABLE (rate_entry), "0");
  g_signal_emit_by_name (rate_entry, "activate");
  flush_events ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (rate_entry), "error"));
  g_assert_cmpint (crm_store_get_rate (fixture->store, "USD"), ==, 1082500);
  gtk_editable_set_text (GTK_EDITABLE (rate_entry), "0.9");
  g_signal_emit_by_name (rate_entry, "activate");
  flush_events ();
  g_assert_cmpint (crm_store_get_rate (fixture->store, "USD"), ==, 900000);

  /* removed with its button */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    collect (GTK_WIDGET (group), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_button_get_icon_name (g_ptr_array_index (buttons, i)), "user-trash-symbolic") == 0)
        g_signal_emit_by_name (g_ptr_array_index (buttons, i), "clicked");
  }
  flush_events ();
  g_assert_cmpint (crm_store_get_rate (fixture->store, "USD"), ==, 0);
  g_assert_cmpuint (crm_exchange_rates_group_get_n_rows (group), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* The accessibility bus of a fresh dbus-run-session may not be up in
   * time, and GTK's critical about it would abort the test. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  if (!crm_ui_test_init (&argc, &argv, "test-preferences"))
    {
      /* TAP: the whole program is skipped */
      g_print ("1..0 # SKIP no display could be opened\n");
      return 0;
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/preferences/groups", test_groups);
  ADD ("/preferences/general", test_general);
  ADD ("/preferences/add", test_add);
  ADD ("/preferences/rename", test_rename);
  ADD ("/preferences/probability-and-order", test_probability_and_order);
  ADD ("/preferences/delete", test_delete);
  ADD ("/preferences/deactivate", test_deactivate);
  ADD ("/preferences/focus", test_focus);
  ADD ("/preferences/rates", test_rates);

#undef ADD

  return crm_ui_test_run ();
}
