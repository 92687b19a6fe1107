/* crm-exchange-rates-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences → Exchange Rates: what one unit of a foreign currency is
 * worth in the company currency, for the statistics. One row per rate
 * with an entry (exact decimal, up to six places, parsed digit by digit by
 * crm_money_parse_rate(): never a float) and a remove button; the last
 * row adds a rate for a currency that has none. A value that does not
 * parse, or that the store refuses, is marked on its entry with the
 * reason below the row's title, and nothing is saved. The rows follow the
 * store's "rates-changed" signal.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-currency.h"
#include "crm-exchange-rates-group.h"
#include "crm-money.h"

/* ---------------------------------------------------------------- structs */

struct _CrmExchangeRatesGroup
{
  AdwPreferencesGroup  parent_instance;

  CrmStore            *store;
  GPtrArray           *rows;          /* AdwActionRow, one per rate */
  GtkStringList       *add_codes;     /* currencies without a rate */
  AdwActionRow        *add_row;
  GtkDropDown         *add_currency;
  GtkEntry            *add_entry;
  GtkWidget           *add_button;
  guint                refresh_source;
};

G_DEFINE_FINAL_TYPE (CrmExchangeRatesGroup, crm_exchange_rates_group, ADW_TYPE_PREFERENCES_GROUP)

/* ------------------------------------------------------ auxiliary methods */

static void
set_row_error (AdwActionRow *row,
               GtkWidget    *entry,
               const char   *default_subtitle,
               const GError *error)
{
  if (error != NULL)
    {
      gtk_widget_add_css_class (entry, "error");
      adw_action_row_set_subtitle (row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "rate-error");
    }
  else
    {
      gtk_widget_remove_css_class (entry, "error");
      adw_action_row_set_subtitle (row, default_subtitle);
      gtk_widget_remove_css_class (GTK_WIDGET (row), "rate-error");
    }
}

static char *
currency_title (const char *code)
{
  /* TRANSLATORS: a currency in the list: its ISO code and its symbol, "EUR (€)" */
  return g_strdup_printf (_("%s (%s)"), code, crm_currency_symbol (code));
}

static char *
rate_subtitle (CrmExchangeRatesGroup *self,
               const char            *code)
{
  const char *base = crm_store_get_default_currency (self->store);

  /* TRANSLATORS: under a rate, "1 USD in EUR" */
  return g_strdup_printf (_("1 %s in %s"), code, base);
}

/* Parses and saves @text as the rate of @code; shows a refusal on @row. */
static gboolean
save_rate (CrmExchangeRatesGroup *self,
           AdwActionRow          *row,
           GtkWidget             *entry,
           const char            *code,
           const char            *default_subtitle)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GError) error = NULL;
  gint64 micros = 0;

  if (!crm_money_parse_rate (text, &micros, &error) ||
      !crm_store_set_rate (self->store, code, micros, &error))
    {
      set_row_error (row, entry, default_subtitle, error);
      return FALSE;
    }

  set_row_error (row, entry, default_subtitle, NULL);
  return TRUE;
}

/* ------------------------------------------------------------- callbacks */

static void
on_rate_activate_cb (GtkEntry *entry,
                     gpointer  user_data)
{
  CrmExchangeRatesGroup *self = user_data;
  AdwActionRow *row = ADW_ACTION_ROW (gtk_widget_get_ancestor (GTK_WIDGET (entry), ADW_TYPE_ACTION_ROW));
  const char *code = g_object_get_data (G_OBJECT (row), "crm-currency");
  g_autofree char *subtitle = rate_subtitle (self, code);

  save_rate (self, row, GTK_WIDGET (entry), code, subtitle);
}

static void
on_rate_focus_leave_cb (GtkEventControllerFocus *controller,
                        gpointer                 user_data)
{
  GtkWidget *entry = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  const char *saved = g_object_get_data (G_OBJECT (entry), "crm-saved");

  if (g_strcmp0 (saved, gtk_editable_get_text (GTK_EDITABLE (entry))) != 0)
    on_rate_activate_cb (GTK_ENTRY (entry), user_data);
}

static void
on_remove_clicked_cb (GtkButton *button,
                      gpointer   user_data)
{
  CrmExchangeRatesGroup *self = user_data;
  const char *code = g_object_get_data (G_OBJECT (button), "crm-currency");
  g_autoptr(GError) error = NULL;

  if (!crm_store_remove_rate (self->store, code, &error))
    g_message ("Cannot remove the rate of %s: %s", code, error->message);
}

static void
on_add_cb (CrmExchangeRatesGroup *self)
{
  GObject *item = gtk_drop_down_get_selected_item (self->add_currency);
  const char *code;

  if (item == NULL)
    return;

  code = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
  if (save_rate (self, self->add_row, GTK_WIDGET (self->add_entry), code, NULL))
    gtk_editable_set_text (GTK_EDITABLE (self->add_entry), "");
}

static void
on_add_changed_cb (CrmExchangeRatesGroup *self)
{
  gboolean has_text = *gtk_editable_get_text (GTK_EDITABLE (self->add_entry)) != '\0';

  gtk_widget_set_sensitive (self->add_button, has_text && gtk_drop_down_get_selected_item (self->add_currency) != NULL);
  if (!has_text)
    set_row_error (self->add_row, GTK_WIDGET (self->add_entry), NULL, NULL);
}

static gboolean
refresh_cb (gpointer user_data)
{
  CrmExchangeRatesGroup *self = user_data;

  self->refresh_source = 0;
  crm_exchange_rates_group_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
on_rates_changed_cb (CrmExchangeRatesGroup *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add (refresh_cb, self);
}

/* ---------------------------------------------------------------- rows */

static AdwActionRow *
make_rate_row (CrmExchangeRatesGroup *self,
               const CrmExchangeRate *rate)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkEventController *focus = gtk_event_controller_focus_new ();
  g_autofree char *title = currency_title (rate->currency);
  g_autofree char *subtitle = rate_subtitle (self, rate->currency);
  g_autofree char *text = crm_money_format_rate (rate->rate_micros, crm_money_locale_decimal_point ());
  g_autofree char *entry_label = NULL;
  g_autofree char *remove_label = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  g_object_set_data_full (G_OBJECT (row), "crm-currency", g_strdup (rate->currency), g_free);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_object_set_data_full (G_OBJECT (entry), "crm-saved", g_strdup (text), g_free);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 12);
  gtk_entry_set_alignment (GTK_ENTRY (entry), 1.0);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (entry, "numeric");
  /* TRANSLATORS: accessible name of a rate entry, "Rate of USD" */
  entry_label = g_strdup_printf (_("Rate of %s"), rate->currency);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, entry_label, -1);
  g_signal_connect_object (entry, "activate", G_CALLBACK (on_rate_activate_cb), self, 0);
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_rate_focus_leave_cb), self, 0);
  gtk_widget_add_controller (entry, focus);
  adw_action_row_add_suffix (row, entry);

  /* TRANSLATORS: the remove button of a rate, "Remove the rate of USD" */
  remove_label = g_strdup_printf (_("Remove the rate of %s"), rate->currency);
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data_full (G_OBJECT (remove), "crm-currency", g_strdup (rate->currency), g_free);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
  adw_action_row_add_suffix (row, remove);

  return row;
}

static void
build_add_row (CrmExchangeRatesGroup *self)
{
  g_autoptr(GtkExpression) expression = NULL;

  /* kept while the rate rows are rebuilt in front of it */
  self->add_row = g_object_ref_sink (ADW_ACTION_ROW (adw_action_row_new ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("Add a rate"));

  self->add_codes = gtk_string_list_new (NULL);
  self->add_currency = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->add_codes)), NULL));
  gtk_drop_down_set_enable_search (self->add_currency, TRUE);
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->add_currency, expression);
  gtk_widget_set_valign (GTK_WIDGET (self->add_currency), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_currency), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Currency of the new rate"), -1);
  g_signal_connect_object (self->add_currency, "notify::selected", G_CALLBACK (on_add_changed_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (self->add_row, GTK_WIDGET (self->add_currency));

  self->add_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->add_entry, _("e.g. 1.0825"));
  gtk_editable_set_width_chars (GTK_EDITABLE (self->add_entry), 12);
  gtk_entry_set_alignment (self->add_entry, 1.0);
  gtk_widget_set_valign (GTK_WIDGET (self->add_entry), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->add_entry), "numeric");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("New rate"), -1);
  g_signal_connect_object (self->add_entry, "changed", G_CALLBACK (on_add_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_entry, "activate", G_CALLBACK (on_add_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (self->add_row, GTK_WIDGET (self->add_entry));

  self->add_button = gtk_button_new_from_icon_name ("list-add-symbolic");
  gtk_widget_set_tooltip_text (self->add_button, _("Add the rate"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Add the rate"), -1);
  gtk_widget_set_valign (self->add_button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (self->add_button, FALSE);
  gtk_widget_add_css_class (self->add_button, "flat");
  g_signal_connect_object (self->add_button, "clicked", G_CALLBACK (on_add_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (self->add_row, self->add_button);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
}

/* -------------------------------------------------------------- overrides */

static void
crm_exchange_rates_group_dispose (GObject *object)
{
  CrmExchangeRatesGroup *self = CRM_EXCHANGE_RATES_GROUP (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->add_codes);
  g_clear_object (&self->add_row);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_exchange_rates_group_parent_class)->dispose (object);
}

/* Leaving the window releases the store at once: libadwaita 1.2.2 (the
 * Debian 12 floor) leaks the groups of a preferences page, see
 * CrmPreferencesWindow's dispose. */
static void
crm_exchange_rates_group_unroot (GtkWidget *widget)
{
  CrmExchangeRatesGroup *self = CRM_EXCHANGE_RATES_GROUP (widget);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  GTK_WIDGET_CLASS (crm_exchange_rates_group_parent_class)->unroot (widget);
}

static void
crm_exchange_rates_group_class_init (CrmExchangeRatesGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = crm_exchange_rates_group_dispose;
  GTK_WIDGET_CLASS (klass)->unroot = crm_exchange_rates_group_unroot;
}

static void
crm_exchange_rates_group_init (CrmExchangeRatesGroup *self)
{
  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Exchange Rates"));
  build_add_row (self);
}

/* ----------------------------------------------------------------- public */

void
crm_exchange_rates_group_set_store (CrmExchangeRatesGroup *self,
                                    CrmStore              *store)
{
  g_return_if_fail (CRM_IS_EXCHANGE_RATES_GROUP (self));
  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  g_signal_connect_object (store, "rates-changed", G_CALLBACK (on_rates_changed_cb), self, G_CONNECT_SWAPPED);
  crm_exchange_rates_group_refresh (self);
}

/* Rebuilds the rows from the store (the company currency may have
 * changed: the rates are per company currency). */
void
crm_exchange_rates_group_refresh (CrmExchangeRatesGroup *self)
{
  g_autoptr(GArray) rates = NULL;
  g_autofree char *description = NULL;
  const char *base;
  const char * const *codes = crm_currency_list ();

  g_return_if_fail (CRM_IS_EXCHANGE_RATES_GROUP (self));

  if (self->store == NULL)
    return;

  base = crm_store_get_default_currency (self->store);
  /* TRANSLATORS: %s is the company currency, "EUR" */
  description = g_strdup_printf (_("What one unit of each currency is worth in the company currency, %s. "
                                   "The statistics convert leads with these rates; leads in a currency "
                                   "without a rate are listed apart, not counted."), base);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));

  rates = crm_store_list_rates (self->store);
  for (guint i = 0; i < rates->len; i++)
    {
      AdwActionRow *row = make_rate_row (self, &g_array_index (rates, CrmExchangeRate, i));

      g_ptr_array_add (self->rows, row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));

  /* the currencies that can still get a rate */
  gtk_string_list_splice (self->add_codes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->add_codes)), NULL);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      gboolean has_rate = g_str_equal (codes[i], base);

      for (guint r = 0; r < rates->len && !has_rate; r++)
        has_rate = g_str_equal (g_array_index (rates, CrmExchangeRate, r).currency, codes[i]);
      if (!has_rate)
        gtk_string_list_append (self->add_codes, codes[i]);
    }
  on_add_changed_cb (self);
}

guint
crm_exchange_rates_group_get_n_rows (CrmExchangeRatesGroup *self)
{
  g_return_val_if_fail (CRM_IS_EXCHANGE_RATES_GROUP (self), 0);

  return self->rows->len;
}
