/* crm-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences: the user's name in the history and the company currency
 * (GSettings), and the customizable lists of key values (in the store).
 *
 * Each list is an AdwPreferencesGroup of CrmKeyValueRows followed by an
 * "add" row. The rows write to the store themselves; the store announces
 * every change with "key-values-changed" (kind) and the group is then
 * refreshed from the store in an idle: existing rows are reused in order
 * and rows are only added or removed at the end, so whatever the user is
 * typing elsewhere in the window keeps its focus. When the focused value
 * moved (up, down) or vanished (deleted), the focus follows it or goes to
 * its neighbour. A refused change comes back as CrmKeyValueRow::error and
 * is shown as a toast with the store's message.
 *
 * With a team server the lists come from the server: only an
 * administrator may change them (the store refuses the others), so for
 * everyone else the groups are insensitive. The Team Server page is
 * CrmSyncPreferences.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-currency.h"
#include "crm-exchange-rates-group.h"
#include "crm-key-value-row.h"
#include "crm-pipeline-preferences.h"
#include "crm-preferences-window.h"
#include "crm-store-sync.h"
#include "crm-sync-preferences.h"

/* ---------------------------------------------------------------- structs */

typedef struct
{
  const char *kind;
  const char *group_id;
  const char *add_title;
  const char *add_label;
} KindInfo;

static const KindInfo kind_infos[] = {
  { "phase", "phase_group", N_("Add phase"), N_("Add the phase") },
  { "status", "status_group", N_("Add status"), N_("Add the status") },
  { "type", "type_group", N_("Add type"), N_("Add the type") },
  { "unit", "unit_group", N_("Add sales unit"), N_("Add the sales unit") },
  { "source", "source_group", N_("Add source"), N_("Add the source") },
  { "lost_reason", "lost_reason_group", N_("Add lost reason"), N_("Add the lost reason") },
  { "activity_kind", "activity_kind_group", N_("Add activity kind"), N_("Add the activity kind") },
};

#define N_KINDS G_N_ELEMENTS (kind_infos)

/* What it takes to bring back a deleted value (its key may differ: it
 * was not used by any record). */
typedef struct
{
  char  *kind;
  char  *label;
  int    probability;
  int    status_class;
  guint  position;
  gboolean active;
} DeletedValue;

typedef struct
{
  CrmPreferencesWindow *self;
  const KindInfo       *info;
  AdwPreferencesGroup  *group;
  GPtrArray            *rows;             /* CrmKeyValueRow, owned by the group */
  AdwEntryRow          *add_row;          /* owned */
  GtkSpinButton        *add_probability;  /* phases only */
  GtkDropDown          *add_class;        /* statuses only */
  GtkWidget            *add_button;
} KindGroup;

struct _CrmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  CrmStore             *store;
  GSettings            *settings;

  AdwPreferencesGroup  *you_group;
  AdwEntryRow          *author_row;
  AdwComboRow          *currency_row;
  CrmPipelinePreferences *pipeline_page;
  CrmExchangeRatesGroup *rates_group;
  CrmSyncPreferences   *sync_page;

  AdwToast             *toast;            /* the latest one, until dismissed */

  KindGroup             groups[N_KINDS];
  guint                 dirty;            /* bit i: groups[i] needs a refresh */
  guint                 refresh_source;
};

/* ------------------------------------------------------------- prototypes */

static void on_key_value_row_error_cb (CrmPreferencesWindow *self,
                                       const GError         *error);
static void on_toast_dismissed_cb (CrmPreferencesWindow *self,
                                   AdwToast             *toast);
static void on_key_value_row_deleted_cb (CrmPreferencesWindow *self,
                                         CrmKeyValue          *key_value,
                                         guint                 position);

/* ------------------------------------------------------------ G_DEFINE_* */

G_DEFINE_FINAL_TYPE (CrmPreferencesWindow, crm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* ----------------------------------------------------- enums and statics */

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------ auxiliary methods */

static void
deleted_value_free (gpointer data)
{
  DeletedValue *deleted = data;

  g_free (deleted->kind);
  g_free (deleted->label);
  g_free (deleted);
}

/* What the store says, without the "field: " prefix of validation
 * messages (meant for errors shown beside a field), starting upper case. */
static char *
user_message (const GError *error)
{
  const char *message = error->message;
  const char *p = message;
  GString *text;

  while (*p != '\0' && (g_ascii_islower (*p) || *p == '_'))
    p++;
  if (p > message && p[0] == ':' && p[1] == ' ' && p[2] != '\0')
    message = p + 2;

  text = g_string_new (NULL);
  g_string_append_unichar (text, g_unichar_totitle (g_utf8_get_char (message)));
  g_string_append (text, g_utf8_next_char (message));

  return g_string_free (text, FALSE);
}

/* Takes @toast. Toasts queue: one is never dismissed to make room for
 * the next, because libadwaita 1.2.2 (the Debian 12 floor) frees a toast
 * that is dismissed during its show animation while the animation still
 * uses it (fixed in 1.3 by 1674ebc9). The same message twice in a row is
 * shown once. */
static void
present_toast (CrmPreferencesWindow *self,
               AdwToast             *toast)
{
  if (self->toast != NULL &&
      adw_toast_get_button_label (toast) == NULL &&
      g_strcmp0 (adw_toast_get_title (self->toast), adw_toast_get_title (toast)) == 0)
    {
      g_object_unref (toast);
      return;
    }

  g_set_object (&self->toast, toast);
  g_signal_connect_object (toast, "dismissed",
                           G_CALLBACK (on_toast_dismissed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void
show_error (CrmPreferencesWindow *self,
            const GError         *error)
{
  g_autofree char *message = user_message (error);
  g_autofree char *markup = g_markup_escape_text (message, -1);

  g_debug ("Refused: %s", error->message);
  present_toast (self, adw_toast_new (markup));
}

/* The name the store records when the user gave none (as CrmStore does). */
static const char *
account_name (void)
{
  const char *real_name = g_get_real_name ();

  if (real_name != NULL && *real_name != '\0' && g_strcmp0 (real_name, "Unknown") != 0)
    return real_name;

  return g_get_user_name ();
}

static void
update_add_button (KindGroup *kg)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (kg->add_row))));

  gtk_widget_set_sensitive (kg->add_button, *text != '\0');
}

static void
refresh_group (KindGroup *kg)
{
  CrmPreferencesWindow *self = kg->self;
  g_autoptr(GListModel) values = NULL;
  GtkWidget *focus;
  GtkWidget *list;
  CrmKeyValueRowPart focus_part = CRM_KEY_VALUE_ROW_PART_NONE;
  gint64 focus_id = 0;
  guint focus_index = 0;
  guint n;

  values = crm_store_list_key_values (self->store, kg->info->kind, TRUE);
  crm_store_count_key_value_uses (self->store, values);
  n = g_list_model_get_n_items (values);

  /* Where the focus is, before rows change under it */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  for (guint i = 0; i < kg->rows->len && focus != NULL; i++)
    {
      CrmKeyValueRow *row = g_ptr_array_index (kg->rows, i);

      focus_part = crm_key_value_row_get_focus_part (row);
      if (focus_part != CRM_KEY_VALUE_ROW_PART_NONE)
        {
          focus_id = crm_key_value_get_id (crm_key_value_row_get_key_value (row));
          focus_index = i;
          break;
        }
    }

  /* Reuse the rows there are, in order */
  for (guint i = 0; i < n && i < kg->rows->len; i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);
      CrmKeyValueRow *row = g_ptr_array_index (kg->rows, i);

      crm_key_value_row_set_key_value (row, kv);
      crm_key_value_row_set_position (row, i, n);
    }

  /* New rows go before the "add" row, which stays where it is (it may
   * have the focus). AdwPreferencesGroup 1.2 can only append, so they are
   * inserted into its list box, where the group keeps its rows. */
  list = gtk_widget_get_parent (GTK_WIDGET (kg->add_row));
  for (guint i = kg->rows->len; i < n; i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);
      GtkWidget *row = crm_key_value_row_new (self->store, kv);

      crm_key_value_row_set_position (CRM_KEY_VALUE_ROW (row), i, n);
      g_signal_connect_object (row, "error",
                               G_CALLBACK (on_key_value_row_error_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "deleted",
                               G_CALLBACK (on_key_value_row_deleted_cb), self,
                               G_CONNECT_SWAPPED);
      if (GTK_IS_LIST_BOX (list))
        gtk_list_box_insert (GTK_LIST_BOX (list), row, i);
      else
        adw_preferences_group_add (kg->group, row);
      g_ptr_array_add (kg->rows, row);
    }
  if (list == NULL)
    adw_preferences_group_add (kg->group, GTK_WIDGET (kg->add_row));

  /* The focus follows its value (moved, renamed) or goes to the value
   * that took its place (deleted). This happens before surplus rows go:
   * GTK would move the focus of a removed row to the list, later. */
  if (focus_part != CRM_KEY_VALUE_ROW_PART_NONE)
    {
      CrmKeyValueRow *target = NULL;

      for (guint i = 0; i < n; i++)
        {
          CrmKeyValueRow *row = g_ptr_array_index (kg->rows, i);

          if (crm_key_value_get_id (crm_key_value_row_get_key_value (row)) == focus_id)
            {
              target = row;
              break;
            }
        }
      if (target == NULL && n > 0)
        target = g_ptr_array_index (kg->rows, MIN (focus_index, n - 1));

      if (target == NULL)
        gtk_widget_grab_focus (GTK_WIDGET (kg->add_row));
      else if (crm_key_value_row_get_focus_part (target) != focus_part)
        crm_key_value_row_focus_part (target, focus_part);
    }

  while (kg->rows->len > n)
    {
      GtkWidget *row = g_ptr_array_steal_index (kg->rows, kg->rows->len - 1);

      adw_preferences_group_remove (kg->group, row);
    }
}

static gboolean
refresh_dirty_groups (gpointer user_data)
{
  CrmPreferencesWindow *self = user_data;
  guint dirty = self->dirty;

  self->refresh_source = 0;
  self->dirty = 0;

  for (guint i = 0; i < N_KINDS; i++)
    if (dirty & (1u << i))
      refresh_group (&self->groups[i]);

  return G_SOURCE_REMOVE;
}

/* Refreshes later, once for many changes, and never inside a handler of
 * the row that made the change. */
static void
queue_refresh (CrmPreferencesWindow *self,
               guint                 dirty)
{
  self->dirty |= dirty;

  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refresh_dirty_groups, self, NULL);
}

static void
add_value (KindGroup *kg)
{
  CrmPreferencesWindow *self = kg->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (kg->add_row))));
  int probability = -1;
  CrmStatusClass status_class = CRM_STATUS_CLASS_OPEN;

  if (*label == '\0')
    return;

  if (kg->add_probability != NULL)
    probability = gtk_spin_button_get_value_as_int (kg->add_probability);
  if (kg->add_class != NULL)
    status_class = (CrmStatusClass) gtk_drop_down_get_selected (kg->add_class);

  if (crm_store_add_key_value (self->store, kg->info->kind, label, probability, status_class, &error) == 0)
    {
      show_error (self, error);
      gtk_widget_add_css_class (GTK_WIDGET (kg->add_row), "error");
      return;
    }

  /* Ready for the next one */
  gtk_editable_set_text (GTK_EDITABLE (kg->add_row), "");
  gtk_widget_grab_focus (GTK_WIDGET (kg->add_row));
}

/* -------------------------------------------------------------- callbacks */

static void
on_key_value_row_error_cb (CrmPreferencesWindow *self,
                           const GError         *error)
{
  show_error (self, error);
}

static void
on_undo_delete_cb (CrmPreferencesWindow *self,
                   AdwToast             *toast)
{
  DeletedValue *deleted = g_object_get_data (G_OBJECT (toast), "deleted-value");
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert (deleted != NULL);

  id = crm_store_add_key_value (self->store, deleted->kind, deleted->label,
                                deleted->probability, deleted->status_class, &error);
  if (id == 0 ||
      !crm_store_move_key_value (self->store, id, deleted->position, &error) ||
      (!deleted->active && !crm_store_set_key_value_active (self->store, id, FALSE, &error)))
    show_error (self, error);
}

static void
on_key_value_row_deleted_cb (CrmPreferencesWindow *self,
                             CrmKeyValue          *key_value,
                             guint                 position)
{
  DeletedValue *deleted = g_new0 (DeletedValue, 1);
  g_autofree char *title = NULL;
  g_autofree char *markup = NULL;
  AdwToast *toast;

  deleted->kind = g_strdup (crm_key_value_get_kind (key_value));
  deleted->label = g_strdup (crm_key_value_get_label (key_value));
  deleted->probability = crm_key_value_get_probability (key_value);
  deleted->status_class = crm_key_value_get_status_class (key_value);
  deleted->position = position;
  deleted->active = crm_key_value_get_active (key_value);

  /* TRANSLATORS: %s is the label of a deleted phase, status, type, … */
  title = g_strdup_printf (_("“%s” deleted"), deleted->label);
  markup = g_markup_escape_text (title, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "deleted-value", deleted, deleted_value_free);
  g_signal_connect_object (toast, "button-clicked",
                           G_CALLBACK (on_undo_delete_cb), self,
                           G_CONNECT_SWAPPED);
  present_toast (self, toast);
}

static void
on_toast_dismissed_cb (CrmPreferencesWindow *self,
                       AdwToast             *toast)
{
  if (self->toast == toast)
    g_clear_object (&self->toast);
}

static void
on_store_key_values_changed_cb (CrmPreferencesWindow *self,
                                const char           *kind)
{
  for (guint i = 0; i < N_KINDS; i++)
    if (g_strcmp0 (kind_infos[i].kind, kind) == 0)
      queue_refresh (self, 1u << i);
}

/* Leads changed: how often each value is used may have changed too. */
static void
on_store_leads_changed_cb (CrmPreferencesWindow *self)
{
  queue_refresh (self, (1u << N_KINDS) - 1);
}

static void
on_add_row_changed_cb (KindGroup *kg)
{
  gtk_widget_remove_css_class (GTK_WIDGET (kg->add_row), "error");
  update_add_button (kg);
}

static void
on_author_row_apply_cb (CrmPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->author_row))));

  g_settings_set_string (self->settings, "author-name", name);
  crm_store_set_author (self->store, *name != '\0' ? name : account_name ());

  if (g_strcmp0 (name, gtk_editable_get_text (GTK_EDITABLE (self->author_row))) != 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->author_row), name);
      adw_entry_row_set_show_apply_button (self->author_row, FALSE);
      adw_entry_row_set_show_apply_button (self->author_row, TRUE);
    }
}

static char *
currency_display_name (GtkStringObject *item,
                       gpointer         user_data)
{
  const char *code = gtk_string_object_get_string (item);
  const char *symbol = crm_currency_symbol (code);

  if (symbol == NULL || g_strcmp0 (symbol, code) == 0)
    return g_strdup (code);

  /* TRANSLATORS: a currency in the list: its ISO code and its symbol, "EUR (€)" */
  return g_strdup_printf (_("%s (%s)"), code, symbol);
}

static gboolean
currency_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char * const *codes = crm_currency_list ();
  const char *code = g_variant_get_string (variant, NULL);

  for (guint i = 0; codes[i] != NULL; i++)
    if (g_strcmp0 (codes[i], code) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
currency_set_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  const char * const *codes = crm_currency_list ();
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) codes))
    return NULL;

  return g_variant_new_string (codes[selected]);
}

/* ----------------------------------------------------------- construction */

static void
setup_kind_group (CrmPreferencesWindow *self,
                  KindGroup            *kg)
{
  const char *kind = kg->info->kind;
  GtkWidget *button;

  kg->self = self;
  kg->rows = g_ptr_array_new ();

  kg->add_row = ADW_ENTRY_ROW (g_object_ref_sink (adw_entry_row_new ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (kg->add_row), _(kg->info->add_title));
  g_signal_connect_swapped (kg->add_row, "changed", G_CALLBACK (on_add_row_changed_cb), kg);
  g_signal_connect_swapped (kg->add_row, "entry-activated", G_CALLBACK (add_value), kg);

  if (g_str_equal (kind, "phase"))
    {
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 100, 5);

      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (spin, _("Default probability of the new phase"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Default probability of the new phase"),
                                      -1);
      crm_key_value_row_init_probability_spin (GTK_SPIN_BUTTON (spin));
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 50);
      adw_entry_row_add_suffix (kg->add_row, spin);
      kg->add_probability = GTK_SPIN_BUTTON (spin);
    }
  else if (g_str_equal (kind, "status"))
    {
      const char *classes[] = {
        /* in the order of CrmStatusClass */
        C_("status class", "Open"),
        C_("status class", "Won"),
        C_("status class", "Lost"),
        NULL
      };
      GtkWidget *dropdown = gtk_drop_down_new_from_strings (classes);

      G_STATIC_ASSERT (CRM_STATUS_CLASS_OPEN == 0 && CRM_STATUS_CLASS_WON == 1 && CRM_STATUS_CLASS_LOST == 2);

      gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (dropdown, "flat");
      gtk_widget_set_tooltip_text (dropdown, _("Whether leads with the new status count as open, won or lost"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Counts as"),
                                      -1);
      adw_entry_row_add_suffix (kg->add_row, dropdown);
      kg->add_class = GTK_DROP_DOWN (dropdown);
    }

  button = gtk_button_new_from_icon_name ("list-add-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _(kg->info->add_title));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(kg->info->add_label),
                                  -1);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (add_value), kg);
  adw_entry_row_add_suffix (kg->add_row, button);
  kg->add_button = button;

  update_add_button (kg);
  refresh_group (kg);
}

/* -------------------------------------------------------------- overrides */

static void
crm_preferences_window_constructed (GObject *object)
{
  CrmPreferencesWindow *self = (CrmPreferencesWindow *)object;
  g_autoptr(GtkStringList) currencies = NULL;
  g_autoptr(GtkExpression) expression = NULL;
  g_autofree char *author = NULL;
  g_autofree char *description = NULL;

  G_OBJECT_CLASS (crm_preferences_window_parent_class)->constructed (object);

  g_assert (CRM_IS_STORE (self->store));

  /* General */
  author = g_settings_get_string (self->settings, "author-name");
  gtk_editable_set_text (GTK_EDITABLE (self->author_row), author);
  /* TRANSLATORS: %s is the name of the user's account */
  description = g_strdup_printf (_("Recorded with your changes and contact reports. Leave it empty to use your account name, “%s”."),
                                 account_name ());
  adw_preferences_group_set_description (self->you_group, description);

  currencies = gtk_string_list_new ((const char * const *) crm_currency_list ());
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (currency_display_name), NULL, NULL);
  adw_combo_row_set_expression (self->currency_row, expression);
  adw_combo_row_set_model (self->currency_row, G_LIST_MODEL (currencies));
  g_settings_bind_with_mapping (self->settings, "company-currency",
                                self->currency_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                currency_get_mapping, currency_set_mapping,
                                NULL, NULL);

  /* Exchange rates */
  crm_exchange_rates_group_set_store (self->rates_group, self->store);

  /* Key values */
  for (guint i = 0; i < N_KINDS; i++)
    setup_kind_group (self, &self->groups[i]);

  crm_pipeline_preferences_set_store (self->pipeline_page, self->store, self->settings);

  g_signal_connect_object (self->store, "key-values-changed",
                           G_CALLBACK (on_store_key_values_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "lead-changed",
                           G_CALLBACK (on_store_leads_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "leads-changed",
                           G_CALLBACK (on_store_leads_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
crm_preferences_window_dispose (GObject *object)
{
  CrmPreferencesWindow *self = (CrmPreferencesWindow *)object;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);

  /* libadwaita 1.2.2, on the Debian 12 floor, leaks every group of a
   * preferences page (fixed in 1.2.3 by af9d2acf). Empty the groups, so
   * that at least the rows, and the store they hold, are released. */
  for (guint i = 0; i < N_KINDS; i++)
    {
      KindGroup *kg = &self->groups[i];

      for (guint j = 0; kg->rows != NULL && j < kg->rows->len; j++)
        adw_preferences_group_remove (kg->group, g_ptr_array_index (kg->rows, j));
      if (kg->add_row != NULL && gtk_widget_get_parent (GTK_WIDGET (kg->add_row)) != NULL)
        adw_preferences_group_remove (kg->group, GTK_WIDGET (kg->add_row));
    }
  if (self->author_row != NULL)
    adw_preferences_group_remove (self->you_group, GTK_WIDGET (self->author_row));
  if (self->currency_row != NULL)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (GTK_WIDGET (self->currency_row),
                                                                                  ADW_TYPE_PREFERENCES_GROUP)),
                                  GTK_WIDGET (self->currency_row));

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PREFERENCES_WINDOW);

  for (guint i = 0; i < N_KINDS; i++)
    {
      KindGroup *kg = &self->groups[i];

      g_clear_pointer (&kg->rows, g_ptr_array_unref);
      g_clear_object (&kg->add_row);
      kg->add_probability = NULL;
      kg->add_class = NULL;
      kg->add_button = NULL;
    }

  g_clear_object (&self->toast);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_preferences_window_parent_class)->dispose (object);
}

static void
crm_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ------------------------------------------------------ class/instance init */

static void
crm_preferences_window_class_init (CrmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_preferences_window_constructed;
  object_class->dispose = crm_preferences_window_dispose;
  object_class->get_property = crm_preferences_window_get_property;
  object_class->set_property = crm_preferences_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRM_TYPE_PIPELINE_PREFERENCES);
  g_type_ensure (CRM_TYPE_SYNC_PREFERENCES);

  g_type_ensure (CRM_TYPE_EXCHANGE_RATES_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, pipeline_page);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, sync_page);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, you_group);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, author_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, rates_group);
  for (guint i = 0; i < N_KINDS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, kind_infos[i].group_id, FALSE,
                                               G_STRUCT_OFFSET (CrmPreferencesWindow, groups) +
                                               i * sizeof (KindGroup) +
                                               G_STRUCT_OFFSET (KindGroup, group));
  gtk_widget_class_bind_template_callback (widget_class, on_author_row_apply_cb);
}

static void
crm_preferences_window_init (CrmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  for (guint i = 0; i < N_KINDS; i++)
    self->groups[i].info = &kind_infos[i];
}

/* ----------------------------------------------------------------- public */

GtkWindow *
crm_preferences_window_new (CrmStore  *store,
                            GtkWindow *parent)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (CRM_TYPE_PREFERENCES_WINDOW,
                       "store", store,
                       "transient-for", parent,
                       NULL);
}

/* Only an administrator changes the lists of a team server's database. */
static void
update_key_values_sensitive (CrmPreferencesWindow *self)
{
  gboolean editable = !crm_store_sync_is_bound (self->store) ||
                      (crm_store_sync_get_admin (self->store) && !crm_store_sync_get_read_only (self->store));

  for (guint i = 0; i < N_KINDS; i++)
    gtk_widget_set_sensitive (GTK_WIDGET (self->groups[i].group), editable);
}

/**
 * crm_preferences_window_set_sync_engine:
 * @engine: (nullable): the application's sync engine
 *
 * Gives the Team Server page its engine; without one that page is hidden.
 */
void
crm_preferences_window_set_sync_engine (CrmPreferencesWindow *self,
                                        CrmSyncEngine        *engine)
{
  g_return_if_fail (CRM_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (engine == NULL || CRM_IS_SYNC_ENGINE (engine));

  gtk_widget_set_visible (GTK_WIDGET (self->sync_page), engine != NULL);
  if (engine == NULL)
    return;

  crm_sync_preferences_set_engine (self->sync_page, engine, self->settings);
  g_signal_connect_object (engine, "notify::admin", G_CALLBACK (update_key_values_sensitive), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::read-only", G_CALLBACK (update_key_values_sensitive), self,
                           G_CONNECT_SWAPPED);
  update_key_values_sensitive (self);
}

/* Shows the Team Server page with the focus where a login starts. */
void
crm_preferences_window_focus_login (CrmPreferencesWindow *self)
{
  g_return_if_fail (CRM_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (self->sync_page));
  crm_sync_preferences_focus_login (self->sync_page);
}

CrmSyncPreferences *
crm_preferences_window_get_sync_page (CrmPreferencesWindow *self)
{
  g_return_val_if_fail (CRM_IS_PREFERENCES_WINDOW (self), NULL);

  return self->sync_page;
}
