/* crm-pipeline-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Pipeline page of Preferences: what happens to a lead's own
 * probability when it moves to another phase on the board (the
 * pipeline-probability setting: ask, keep, the new phase's default), and
 * per active sales phase the days a lead may go without a contact report
 * before its card is marked stale (key_value.stale_days in the store).
 *
 * The phase rows are refreshed from the store in an idle after
 * "key-values-changed": rows are reused in order and only added or
 * removed at the end, so a spin button being edited keeps its focus.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-pipeline-preferences.h"

struct _CrmPipelinePreferences
{
  AdwPreferencesPage   parent_instance;

  CrmStore            *store;
  GSettings           *settings;
  GPtrArray           *rows;          /* AdwActionRow, owned by the group */
  guint                refresh_source;

  /* template */
  AdwComboRow         *probability_row;
  AdwPreferencesGroup *stale_group;
};

G_DEFINE_FINAL_TYPE (CrmPipelinePreferences, crm_pipeline_preferences, ADW_TYPE_PREFERENCES_PAGE)

/* in the order of the combo row's items */
static const char *probability_choices[] = { "ask", "keep", "phase-default" };

/* ---------------------------------------------------------------- helpers */

static char *
stale_subtitle (int days)
{
  if (days <= 0)
    return g_strdup (_("Never marked"));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Marked after %d day without a contact report",
                                       "Marked after %d days without a contact report",
                                       days),
                          days);
}

static void on_stale_value_changed_cb (GtkSpinButton          *spin,
                                       CrmPipelinePreferences *self);

static GtkSpinButton *
row_spin (AdwActionRow *row)
{
  return g_object_get_data (G_OBJECT (row), "spin");
}

static void
update_row (CrmPipelinePreferences *self,
            AdwActionRow           *row,
            CrmKeyValue            *phase)
{
  GtkSpinButton *spin = row_spin (row);
  int days = crm_key_value_get_stale_days (phase);
  g_autofree char *subtitle = stale_subtitle (days);
  g_autofree char *a11y = NULL;

  g_object_set_data_full (G_OBJECT (row), "phase", g_strdup (crm_key_value_get_key (phase)), g_free);
  g_object_set_data (G_OBJECT (row), "id", GSIZE_TO_POINTER (crm_key_value_get_id (phase)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), crm_key_value_get_label (phase));
  adw_action_row_set_subtitle (row, subtitle);

  g_signal_handlers_block_by_func (spin, on_stale_value_changed_cb, self);
  gtk_spin_button_set_value (spin, days);
  g_signal_handlers_unblock_by_func (spin, on_stale_value_changed_cb, self);

  /* TRANSLATORS: accessible name of a spin button; %s is a sales phase */
  a11y = g_strdup_printf (_("Days without a contact report in “%s”"), crm_key_value_get_label (phase));
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static AdwActionRow *
new_row (CrmPipelinePreferences *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, CRM_MAX_STALE_DAYS, 1);
  GtkWidget *unit = gtk_label_new (_("days"));

  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 0);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_increments (GTK_SPIN_BUTTON (spin), 1, 7);
  gtk_widget_set_tooltip_text (spin, _("0: never marked"));
  gtk_widget_add_css_class (unit, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), unit);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_object_set_data (G_OBJECT (row), "spin", spin);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_stale_value_changed_cb), self, 0);

  return ADW_ACTION_ROW (row);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CrmPipelinePreferences *self = user_data;
  g_autoptr(GListModel) phases = crm_store_list_key_values (self->store, "phase", FALSE);
  guint n = g_list_model_get_n_items (phases);

  self->refresh_source = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (phases, i);
      AdwActionRow *row;

      if (i < self->rows->len)
        row = g_ptr_array_index (self->rows, i);
      else
        {
          row = new_row (self);
          adw_preferences_group_add (self->stale_group, GTK_WIDGET (row));
          g_ptr_array_add (self->rows, row);
        }
      update_row (self, row, kv);
    }

  while (self->rows->len > n)
    adw_preferences_group_remove (self->stale_group, g_ptr_array_steal_index (self->rows, self->rows->len - 1));

  return G_SOURCE_REMOVE;
}

static void
queue_refresh (CrmPipelinePreferences *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refresh_idle_cb, self, NULL);
}

static gboolean
probability_get_mapping (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (probability_choices); i++)
    if (g_strcmp0 (probability_choices[i], name) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
probability_set_mapping (const GValue       *value,
                         const GVariantType *expected_type,
                         gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (probability_choices))
    return NULL;

  return g_variant_new_string (probability_choices[selected]);
}

/* -------------------------------------------------------------- callbacks */

static void
on_stale_value_changed_cb (GtkSpinButton          *spin,
                           CrmPipelinePreferences *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (spin), ADW_TYPE_ACTION_ROW);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "id"));
  g_autoptr(GError) error = NULL;

  if (!crm_store_set_key_value_stale_days (self->store, id, gtk_spin_button_get_value_as_int (spin), &error))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      if (ADW_IS_PREFERENCES_WINDOW (root))
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (error->message));
      else
        g_warning ("%s", error->message);
      queue_refresh (self);
    }
}

static void
on_key_values_changed_cb (CrmPipelinePreferences *self,
                          const char             *kind)
{
  if (g_strcmp0 (kind, "phase") == 0)
    queue_refresh (self);
}

/* -------------------------------------------------------------- overrides */

static void
crm_pipeline_preferences_dispose (GObject *object)
{
  CrmPipelinePreferences *self = CRM_PIPELINE_PREFERENCES (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);

  /* libadwaita 1.2.2 leaks the groups of a page (see
   * crm-preferences-window.c): empty them, so the rows go at least */
  if (self->rows != NULL)
    {
      for (guint i = 0; i < self->rows->len; i++)
        adw_preferences_group_remove (self->stale_group, g_ptr_array_index (self->rows, i));
      g_clear_pointer (&self->rows, g_ptr_array_unref);
    }
  if (self->probability_row != NULL)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (GTK_WIDGET (self->probability_row),
                                                                                  ADW_TYPE_PREFERENCES_GROUP)),
                                  GTK_WIDGET (self->probability_row));

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PIPELINE_PREFERENCES);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_pipeline_preferences_parent_class)->dispose (object);
}

static void
crm_pipeline_preferences_class_init (CrmPipelinePreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_pipeline_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-pipeline-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePreferences, probability_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePreferences, stale_group);
}

static void
crm_pipeline_preferences_init (CrmPipelinePreferences *self)
{
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ----------------------------------------------------------------- public */

void
crm_pipeline_preferences_set_store (CrmPipelinePreferences *self,
                                    CrmStore               *store,
                                    GSettings              *settings)
{
  g_return_if_fail (CRM_IS_PIPELINE_PREFERENCES (self));
  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);

  g_settings_bind_with_mapping (settings, "pipeline-probability",
                                self->probability_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                probability_get_mapping, probability_set_mapping,
                                NULL, NULL);
  g_signal_connect_object (store, "key-values-changed",
                           G_CALLBACK (on_key_values_changed_cb), self, G_CONNECT_SWAPPED);

  refresh_idle_cb (self);
}

AdwComboRow *
crm_pipeline_preferences_get_probability_row (CrmPipelinePreferences *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_PREFERENCES (self), NULL);

  return self->probability_row;
}

/* The spin button of @phase's stale days, or NULL */
GtkSpinButton *
crm_pipeline_preferences_get_stale_spin (CrmPipelinePreferences *self,
                                         const char             *phase)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_PREFERENCES (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "phase"), phase) == 0)
        return row_spin (row);
    }

  return NULL;
}
