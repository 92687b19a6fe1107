/* crm-lead-detail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The detail of one lead. Every field saves by itself: text fields a
 * moment after typing stops, on Enter and when focus leaves; choices at
 * once. The value goes through the store's validation: when it is
 * refused the reason appears on the field's row (which turns red) and
 * nothing is stored. A field being typed in is never overwritten by a
 * refresh of the lead.
 *
 * Below the fields: the lead's history (contact reports and logged
 * changes, newest first) with a step chart of the probability over time.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-currency.h"
#include "crm-history-row.h"
#include "crm-lead-detail.h"
#include "crm-money.h"
#include "crm-month.h"
#include "crm-probability-chart.h"
#include "crm-window.h"

#define SAVE_DELAY_MS 700

typedef struct {
  CrmLeadDetail *self;
  const char    *field;       /* "title", "volume", "close_month", "owner" */
  AdwActionRow  *row;
  GtkEditable   *editable;
  char          *hint;        /* the row's subtitle when valid */
  char          *error;
  guint          save_source;
  gboolean       dirty;
} TextField;

typedef struct {
  const char    *field;       /* lead field */
  const char    *kind;        /* key value list */
  AdwComboRow   *row;
  GPtrArray     *keys;        /* NULL entry = none */
  gboolean       optional;
} ChoiceField;

enum { TEXT_TITLE, TEXT_VOLUME, TEXT_CLOSE_MONTH, TEXT_FOLLOW_UP, TEXT_OWNER, N_TEXT };
enum { CHOICE_PHASE, CHOICE_STATUS, CHOICE_TYPE, CHOICE_UNIT, CHOICE_SOURCE, N_CHOICE };

struct _CrmLeadDetail
{
  GtkWidget            parent_instance;

  CrmStore            *store;
  CrmLead             *lead;
  gulong               notify_handler;
  TextField            text[N_TEXT];
  ChoiceField          choice[N_CHOICE];
  guint                updating : 1;
  guint                read_only : 1;
  guint                description_source;
  GtkWidget           *opportunity_group;
  GtkWidget           *read_only_box;
  GtkWidget           *classification_group;
  GtkWidget           *description_group;
  guint                history_source;

  /* template */
  GtkLabel            *title_label;
  GtkLabel            *subtitle_label;
  AdwActionRow        *title_row;
  GtkEntry            *title_entry;
  AdwActionRow        *contact_row;
  GtkMenuButton       *contact_button;
  GtkSearchEntry      *contact_search;
  GtkListBox          *contact_list;
  AdwActionRow        *volume_row;
  GtkEntry            *volume_entry;
  GtkDropDown         *currency_dropdown;
  AdwActionRow        *probability_row;
  GtkSpinButton       *probability_spin;
  GtkButton           *reset_probability_button;
  AdwComboRow         *phase_row;
  AdwComboRow         *status_row;
  AdwActionRow        *close_row;
  GtkEntry            *close_entry;
  AdwActionRow        *follow_up_row;
  GtkEntry            *follow_up_entry;
  AdwActionRow        *owner_row;
  GtkEntry            *owner_entry;
  AdwComboRow         *type_row;
  AdwComboRow         *unit_row;
  AdwComboRow         *source_row;
  AdwActionRow        *lost_reason_row;
  GtkTextView         *description_view;
  CrmProbabilityChart *chart;
  GtkListBox          *history_list;
};

G_DEFINE_FINAL_TYPE (CrmLeadDetail, crm_lead_detail, GTK_TYPE_WIDGET)

/* ---------------------------------------------------------------- helpers */

static void
show_error (CrmLeadDetail *self,
            const GError  *error)
{
  crm_window_show_error_of (GTK_WIDGET (self), error);
}

static void
set_row_error (AdwActionRow *row,
               const char   *hint,
               const char   *error)
{
  if (error != NULL)
    {
      adw_action_row_set_subtitle (row, error);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      adw_action_row_set_subtitle (row, hint ? hint : "");
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
text_field_set_error (TextField  *tf,
                      const char *error)
{
  g_free (tf->error);
  tf->error = g_strdup (error);
  if (tf->row != NULL)
    set_row_error (tf->row, tf->hint, error);
}

/* Strips "field: " from store messages: the row already names the field. */
static const char *
message_without_field (const GError *error)
{
  const char *colon = strstr (error->message, ": ");

  if (colon != NULL && colon - error->message < 16 && strchr (error->message, ' ') > colon)
    return colon + 2;

  return error->message;
}

static char *
lead_text_value (CrmLeadDetail *self,
                 TextField     *tf)
{
  CrmLead *lead = self->lead;

  if (g_str_equal (tf->field, "title"))
    return g_strdup (crm_lead_get_title (lead));
  if (g_str_equal (tf->field, "owner"))
    return g_strdup (crm_lead_get_owner (lead));
  if (g_str_equal (tf->field, "volume"))
    return crm_money_format_plain (crm_lead_get_volume_minor (lead), crm_lead_get_currency (lead),
                                   crm_money_locale_decimal_point ());
  if (g_str_equal (tf->field, "close_month"))
    return crm_lead_get_close_month (lead) ? crm_month_to_iso (crm_lead_get_close_month (lead)) : g_strdup ("");
  if (g_str_equal (tf->field, "next_follow_up"))
    return g_strdup (crm_lead_get_next_follow_up (lead) ? crm_lead_get_next_follow_up (lead) : "");

  g_return_val_if_reached (NULL);
}

static void
update_close_hint (CrmLeadDetail *self)
{
  TextField *tf = &self->text[TEXT_CLOSE_MONTH];

  g_free (tf->hint);
  tf->hint = crm_lead_get_close_month (self->lead)
    ? crm_month_format (crm_lead_get_close_month (self->lead))
    : g_strdup (_("Not planned yet"));
  if (tf->error == NULL)
    set_row_error (tf->row, tf->hint, NULL);
}

static void
update_follow_up_hint (CrmLeadDetail *self)
{
  TextField *tf = &self->text[TEXT_FOLLOW_UP];
  const char *date = crm_lead_get_next_follow_up (self->lead);
  GDate parsed;

  g_free (tf->hint);
  if (date != NULL && *date != '\0' && crm_lead_parse_date (date, &parsed, NULL))
    {
      g_autoptr(GDateTime) dt = g_date_time_new_local (g_date_get_year (&parsed), g_date_get_month (&parsed),
                                                       g_date_get_day (&parsed), 0, 0, 0);

      /* TRANSLATORS: the next follow-up date, see g_date_time_format() */
      tf->hint = g_date_time_format (dt, _("%A, %x"));
    }
  else
    tf->hint = g_strdup (_("No next step planned"));

  if (tf->error == NULL)
    set_row_error (tf->row, tf->hint, NULL);
}

static void
update_probability_hint (CrmLeadDetail *self)
{
  int phase_default = crm_lead_get_phase_probability (self->lead);
  gboolean custom = phase_default >= 0 && phase_default != crm_lead_get_probability (self->lead);
  g_autofree char *hint = NULL;

  if (custom)
    /* TRANSLATORS: shown when the probability differs from the phase's default */
    hint = g_strdup_printf (_("Differs from the phase default of %d %%"), phase_default);
  else if (phase_default >= 0)
    hint = g_strdup (_("The phase default"));

  set_row_error (self->probability_row, hint, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reset_probability_button), custom);
  if (custom)
    gtk_widget_add_css_class (GTK_WIDGET (self->probability_spin), "custom-probability");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->probability_spin), "custom-probability");
}

static void
select_currency (CrmLeadDetail *self,
                 const char    *currency)
{
  const char * const *codes = crm_currency_list ();

  for (guint i = 0; codes[i] != NULL; i++)
    if (g_strcmp0 (codes[i], currency) == 0)
      {
        gtk_drop_down_set_selected (self->currency_dropdown, i);
        return;
      }
}

static void
select_choice (ChoiceField *cf,
               const char  *key)
{
  for (guint i = 0; cf->keys != NULL && i < cf->keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (cf->keys, i), key && *key ? key : NULL) == 0)
      {
        adw_combo_row_set_selected (cf->row, i);
        return;
      }
}

static void
fill_choice (CrmLeadDetail *self,
             ChoiceField   *cf)
{
  g_autoptr(GListModel) values = crm_store_list_key_values (self->store, cf->kind, TRUE);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const char *current = NULL;

  g_clear_pointer (&cf->keys, g_ptr_array_unref);
  cf->keys = g_ptr_array_new_with_free_func (g_free);

  if (self->lead != NULL)
    {
      g_autofree char *value = crm_lead_dup_field_value (self->lead, crm_lead_field_lookup (cf->field));

      current = g_intern_string (value);
    }

  if (cf->optional)
    {
      g_ptr_array_add (cf->keys, NULL);
      /* TRANSLATORS: no value chosen in a list */
      gtk_string_list_append (labels, _("None"));
    }

  for (guint i = 0; i < g_list_model_get_n_items (values); i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);

      /* deactivated values only while the lead still uses them */
      if (!crm_key_value_get_active (kv) && g_strcmp0 (current, crm_key_value_get_key (kv)) != 0)
        continue;

      g_ptr_array_add (cf->keys, g_strdup (crm_key_value_get_key (kv)));
      if (g_str_equal (cf->kind, "phase") && crm_key_value_get_probability (kv) >= 0)
        {
          /* TRANSLATORS: a phase and its default probability */
          g_autofree char *label = g_strdup_printf (_("%s (%d %%)"), crm_key_value_get_label (kv),
                                                    crm_key_value_get_probability (kv));
          gtk_string_list_append (labels, label);
        }
      else
        gtk_string_list_append (labels, crm_key_value_get_label (kv));
    }

  self->updating = TRUE;
  adw_combo_row_set_model (cf->row, G_LIST_MODEL (labels));
  if (current != NULL)
    select_choice (cf, current);
  self->updating = FALSE;
}

static void
update_history (CrmLeadDetail *self)
{
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint n;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  if (self->lead == NULL)
    return;

  history = crm_store_lead_history (self->store, crm_lead_get_id (self->lead), &error);
  if (history == NULL)
    {
      show_error (self, error);
      return;
    }

  n = g_list_model_get_n_items (history);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmHistoryItem) item = g_list_model_get_item (history, i);

      gtk_list_box_append (self->history_list, crm_history_row_new (item, FALSE));
    }

  crm_probability_chart_set_history (self->chart, history, crm_lead_get_probability (self->lead));
}

static void
update_from_lead (CrmLeadDetail *self)
{
  CrmLead *lead = self->lead;
  g_autofree char *subtitle = NULL;
  const char *contact;

  if (lead == NULL)
    return;

  self->updating = TRUE;

  for (guint i = 0; i < N_TEXT; i++)
    {
      TextField *tf = &self->text[i];
      g_autofree char *value = NULL;

      if (tf->dirty)
        continue;
      value = lead_text_value (self, tf);
      if (g_strcmp0 (value, gtk_editable_get_text (tf->editable)) != 0)
        gtk_editable_set_text (tf->editable, value);
    }

  gtk_label_set_label (self->title_label, crm_lead_get_title (lead));
  contact = crm_lead_get_contact_name (lead);
  subtitle = g_strdup_printf ("%s · %s", contact && *contact ? contact : _("No contact"),
                              crm_lead_get_status_label (lead) ? crm_lead_get_status_label (lead) : "");
  gtk_label_set_label (self->subtitle_label, subtitle);
  adw_action_row_set_subtitle (self->contact_row, contact && *contact ? contact : _("No contact yet"));

  select_currency (self, crm_lead_get_currency (lead));
  if ((int) gtk_spin_button_get_value (self->probability_spin) != crm_lead_get_probability (lead))
    gtk_spin_button_set_value (self->probability_spin, crm_lead_get_probability (lead));
  update_probability_hint (self);
  update_close_hint (self);
  update_follow_up_hint (self);

  for (guint i = 0; i < N_CHOICE; i++)
    {
      g_autofree char *value = crm_lead_dup_field_value (lead, crm_lead_field_lookup (self->choice[i].field));

      select_choice (&self->choice[i], value);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->lost_reason_row),
                          crm_lead_get_status_class (lead) == CRM_STATUS_CLASS_LOST);
  adw_action_row_set_subtitle (self->lost_reason_row,
                               crm_lead_get_lost_reason (lead) && *crm_lead_get_lost_reason (lead)
                               ? crm_store_key_value_label (self->store, "lost_reason", crm_lead_get_lost_reason (lead))
                               : _("No reason given"));

  if (self->description_source == 0)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
      g_autofree char *text = NULL;
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      if (g_strcmp0 (text, crm_lead_get_description (lead)) != 0)
        gtk_text_buffer_set_text (buffer, crm_lead_get_description (lead) ? crm_lead_get_description (lead) : "", -1);
    }

  self->updating = FALSE;
}

static gboolean
update_field (CrmLeadDetail        *self,
              const CrmFieldValue  *values,
              guint                 n_values,
              GError              **error)
{
  if (self->lead == NULL)
    return FALSE;

  return crm_store_update_lead (self->store, crm_lead_get_id (self->lead), values, n_values, error);
}

/* Turns what is typed into the canonical value and saves it. */
static gboolean
save_text_field (TextField *tf)
{
  CrmLeadDetail *self = tf->self;
  const char *text = gtk_editable_get_text (tf->editable);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  CrmFieldValue fv;

  g_clear_handle_id (&tf->save_source, g_source_remove);

  if (self->lead == NULL || !tf->dirty)
    return tf->error == NULL;

  if (g_str_equal (tf->field, "volume"))
    {
      gint64 minor;

      if (!crm_money_parse (text, crm_lead_get_currency (self->lead),
                            crm_money_locale_decimal_point (), &minor, &error))
        {
          text_field_set_error (tf, error->message);
          return FALSE;
        }
      value = g_strdup_printf ("%" G_GINT64_FORMAT, minor);
      fv = (CrmFieldValue) { "volume_minor", value };
    }
  else
    fv = (CrmFieldValue) { tf->field, text };

  if (!update_field (self, &fv, 1, &error))
    {
      text_field_set_error (tf, message_without_field (error));
      return FALSE;
    }

  tf->dirty = FALSE;
  text_field_set_error (tf, NULL);
  update_from_lead (self);
  return TRUE;
}

/* -------------------------------------------------------------- callbacks */

static gboolean
save_text_field_cb (gpointer data)
{
  TextField *tf = data;

  tf->save_source = 0;
  save_text_field (tf);

  return G_SOURCE_REMOVE;
}

static void
on_text_changed_cb (GtkEditable *editable,
                    TextField   *tf)
{
  if (tf->self->updating)
    return;

  tf->dirty = TRUE;
  g_clear_handle_id (&tf->save_source, g_source_remove);
  tf->save_source = g_timeout_add (SAVE_DELAY_MS, save_text_field_cb, tf);
}

static void
on_text_activate_cb (GtkEntry  *entry,
                     TextField *tf)
{
  save_text_field (tf);
}

static void
on_text_focus_leave_cb (GtkEventControllerFocus *controller,
                        TextField               *tf)
{
  save_text_field (tf);
}

static void
history_idle_cb (gpointer data)
{
  CrmLeadDetail *self = data;

  self->history_source = 0;
  update_history (self);
}

static void
on_lead_notify_cb (CrmLeadDetail *self,
                   GParamSpec    *pspec)
{
  update_from_lead (self);

  /* the history changes with every logged change and report */
  if (self->history_source == 0)
    self->history_source = g_idle_add_once (history_idle_cb, self);
}

static void
on_store_lead_changed_cb (CrmLeadDetail *self,
                          gint64         id)
{
  if (self->lead != NULL && crm_lead_get_id (self->lead) == id && self->history_source == 0)
    self->history_source = g_idle_add_once (history_idle_cb, self);
}

static void
on_key_values_changed_cb (CrmLeadDetail *self,
                          const char    *kind)
{
  for (guint i = 0; i < N_CHOICE; i++)
    if (g_strcmp0 (self->choice[i].kind, kind) == 0)
      fill_choice (self, &self->choice[i]);
}

static void
on_choice_selected_cb (AdwComboRow   *row,
                       GParamSpec    *pspec,
                       CrmLeadDetail *self)
{
  g_autoptr(GError) error = NULL;
  ChoiceField *cf = NULL;
  guint selected;
  CrmFieldValue fv;

  if (self->updating || self->lead == NULL)
    return;

  for (guint i = 0; i < N_CHOICE; i++)
    if (self->choice[i].row == row)
      cf = &self->choice[i];
  g_assert (cf != NULL);

  selected = adw_combo_row_get_selected (row);
  if (cf->keys == NULL || selected >= cf->keys->len)
    return;

  fv = (CrmFieldValue) { cf->field, g_ptr_array_index (cf->keys, selected) ? g_ptr_array_index (cf->keys, selected) : "" };
  if (!update_field (self, &fv, 1, &error))
    {
      show_error (self, error);
      update_from_lead (self);
    }
}

static void
on_probability_changed_cb (CrmLeadDetail *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  CrmFieldValue fv;

  if (self->updating || self->lead == NULL)
    return;

  value = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (self->probability_spin));
  fv = (CrmFieldValue) { "probability", value };
  if (!update_field (self, &fv, 1, &error))
    {
      set_row_error (self->probability_row, NULL, message_without_field (error));
      return;
    }
  update_probability_hint (self);
}

static void
on_reset_probability_cb (CrmLeadDetail *self)
{
  if (self->lead != NULL && crm_lead_get_phase_probability (self->lead) >= 0)
    gtk_spin_button_set_value (self->probability_spin, crm_lead_get_phase_probability (self->lead));
}

/* A new currency keeps the amount as typed: "1234.56" EUR becomes
 * "1234.56" USD, which is refused for JPY (no decimals) with a reason. */
static void
on_currency_selected_cb (CrmLeadDetail *self)
{
  const char * const *codes = crm_currency_list ();
  guint selected = gtk_drop_down_get_selected (self->currency_dropdown);
  TextField *tf = &self->text[TEXT_VOLUME];
  g_autoptr(GError) error = NULL;
  g_autofree char *minor_text = NULL;
  const char *currency;
  gint64 minor;
  CrmFieldValue values[2];

  if (self->updating || self->lead == NULL || selected >= g_strv_length ((char **) codes))
    return;

  currency = codes[selected];
  if (g_strcmp0 (currency, crm_lead_get_currency (self->lead)) == 0)
    return;

  if (!crm_money_parse (gtk_editable_get_text (tf->editable), currency,
                        crm_money_locale_decimal_point (), &minor, &error))
    {
      text_field_set_error (tf, error->message);
      self->updating = TRUE;
      select_currency (self, crm_lead_get_currency (self->lead));
      self->updating = FALSE;
      return;
    }

  minor_text = g_strdup_printf ("%" G_GINT64_FORMAT, minor);
  values[0] = (CrmFieldValue) { "currency", currency };
  values[1] = (CrmFieldValue) { "volume_minor", minor_text };
  if (!update_field (self, values, 2, &error))
    show_error (self, error);
  tf->dirty = FALSE;
  text_field_set_error (tf, NULL);
  update_from_lead (self);
}

static gboolean
save_description_cb (gpointer data)
{
  CrmLeadDetail *self = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  CrmFieldValue fv;

  self->description_source = 0;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  fv = (CrmFieldValue) { "description", text };
  if (!update_field (self, &fv, 1, &error))
    show_error (self, error);

  return G_SOURCE_REMOVE;
}

static void
on_description_changed_cb (CrmLeadDetail *self)
{
  if (self->updating)
    return;

  g_clear_handle_id (&self->description_source, g_source_remove);
  self->description_source = g_timeout_add (SAVE_DELAY_MS, save_description_cb, self);
}

/* Contact chooser */

static void
choose_contact (CrmLeadDetail *self,
                gint64         contact_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = contact_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, contact_id) : g_strdup ("");
  CrmFieldValue fv = { "contact_id", value };

  gtk_menu_button_popdown (self->contact_button);
  if (!update_field (self, &fv, 1, &error))
    show_error (self, error);
}

static void
on_contact_row_activated_cb (CrmLeadDetail *self,
                             GtkListBoxRow *row)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "contact-id"));
  const char *create = g_object_get_data (G_OBJECT (row), "create-name");
  g_autoptr(GError) error = NULL;

  if (create != NULL)
    {
      id = crm_store_create_contact (self->store, g_object_get_data (G_OBJECT (row), "create-kind"),
                                     create, 0, &error);
      if (id == 0)
        {
          show_error (self, error);
          return;
        }
    }

  choose_contact (self, id);
}

static GtkWidget *
contact_choice_row (const char *title,
                    const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  return row;
}

static void
on_contact_search_changed_cb (CrmLeadDetail *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->contact_search));
  g_autoptr(GListModel) contacts = crm_store_list_contacts (self->store, search, 8);
  g_autofree char *trimmed = g_strstrip (g_strdup (search));
  GtkWidget *child;
  GtkWidget *row;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->contact_list))) != NULL)
    gtk_list_box_remove (self->contact_list, child);

  for (guint i = 0; i < g_list_model_get_n_items (contacts); i++)
    {
      g_autoptr(CrmContact) contact = g_list_model_get_item (contacts, i);

      row = contact_choice_row (crm_contact_get_name (contact),
                                crm_contact_is_company (contact) ? _("Company") : crm_contact_get_company_name (contact));
      g_object_set_data (G_OBJECT (row), "contact-id", GSIZE_TO_POINTER (crm_contact_get_id (contact)));
      gtk_list_box_append (self->contact_list, row);
    }

  if (*trimmed != '\0' && crm_store_find_contact (self->store, trimmed) == 0)
    {
      g_autofree char *company = g_strdup_printf (_("Create Company “%s”"), trimmed);
      g_autofree char *person = g_strdup_printf (_("Create Person “%s”"), trimmed);

      row = contact_choice_row (company, NULL);
      g_object_set_data_full (G_OBJECT (row), "create-name", g_strdup (trimmed), g_free);
      g_object_set_data (G_OBJECT (row), "create-kind", (gpointer) "company");
      gtk_list_box_append (self->contact_list, row);

      row = contact_choice_row (person, NULL);
      g_object_set_data_full (G_OBJECT (row), "create-name", g_strdup (trimmed), g_free);
      g_object_set_data (G_OBJECT (row), "create-kind", (gpointer) "person");
      gtk_list_box_append (self->contact_list, row);
    }

  row = contact_choice_row (_("No Contact"), NULL);
  g_object_set_data (G_OBJECT (row), "contact-id", GSIZE_TO_POINTER (0));
  gtk_list_box_append (self->contact_list, row);
}

/* -------------------------------------------------------------- overrides */

static void
clear_lead (CrmLeadDetail *self)
{
  for (guint i = 0; i < N_TEXT; i++)
    {
      /* an edit in progress is saved before the lead changes */
      if (self->text[i].dirty)
        save_text_field (&self->text[i]);
      g_clear_handle_id (&self->text[i].save_source, g_source_remove);
      self->text[i].dirty = FALSE;
      text_field_set_error (&self->text[i], NULL);
    }
  if (self->description_source != 0)
    {
      g_clear_handle_id (&self->description_source, g_source_remove);
      save_description_cb (self);
    }

  if (self->lead != NULL)
    g_clear_signal_handler (&self->notify_handler, self->lead);
  g_clear_object (&self->lead);
}

static void
crm_lead_detail_dispose (GObject *object)
{
  CrmLeadDetail *self = CRM_LEAD_DETAIL (object);
  GtkWidget *child;

  clear_lead (self);
  g_clear_handle_id (&self->history_source, g_source_remove);
  for (guint i = 0; i < N_TEXT; i++)
    {
      g_clear_pointer (&self->text[i].hint, g_free);
      g_clear_pointer (&self->text[i].error, g_free);
      /* the template disposes these below; dispose may run again */
      self->text[i].row = NULL;
      self->text[i].editable = NULL;
    }
  for (guint i = 0; i < N_CHOICE; i++)
    g_clear_pointer (&self->choice[i].keys, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_LEAD_DETAIL);
  /* the template's top-level scrolled window has no id, so
   * gtk_widget_dispose_template() leaves it parented */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_lead_detail_parent_class)->dispose (object);
}

static void
crm_lead_detail_class_init (CrmLeadDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_lead_detail_dispose;

  g_type_ensure (CRM_TYPE_PROBABILITY_CHART);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-lead-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, title_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, title_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, opportunity_group);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, read_only_box);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, classification_group);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, description_group);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, contact_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, contact_button);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, contact_search);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, contact_list);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, volume_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, volume_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, currency_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, probability_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, probability_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, reset_probability_button);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, phase_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, status_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, close_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, close_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, follow_up_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, follow_up_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, owner_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, type_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, unit_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, source_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, lost_reason_row);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, description_view);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, chart);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadDetail, history_list);
  gtk_widget_class_bind_template_callback (widget_class, on_probability_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_probability_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_currency_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_contact_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_contact_row_activated_cb);
}

static void
setup_text_field (CrmLeadDetail *self,
                  guint          index,
                  const char    *field,
                  AdwActionRow  *row,
                  GtkEntry      *entry,
                  const char    *hint)
{
  TextField *tf = &self->text[index];
  GtkEventController *focus = gtk_event_controller_focus_new ();

  tf->self = self;
  tf->field = field;
  tf->row = row;
  tf->editable = GTK_EDITABLE (entry);
  tf->hint = g_strdup (hint);

  g_signal_connect (entry, "changed", G_CALLBACK (on_text_changed_cb), tf);
  g_signal_connect (entry, "activate", G_CALLBACK (on_text_activate_cb), tf);
  g_signal_connect (focus, "leave", G_CALLBACK (on_text_focus_leave_cb), tf);
  gtk_widget_add_controller (GTK_WIDGET (entry), focus);
}

static void
crm_lead_detail_init (CrmLeadDetail *self)
{
  g_autoptr(GtkStringList) codes = NULL;
  g_autoptr(GtkExpression) expression = NULL;
  static const struct { const char *field; const char *kind; gboolean optional; } choices[N_CHOICE] = {
    { "phase", "phase", FALSE },
    { "status", "status", FALSE },
    { "type", "type", TRUE },
    { "unit", "unit", TRUE },
    { "source", "source", TRUE },
  };
  AdwComboRow *choice_rows[N_CHOICE];
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  setup_text_field (self, TEXT_TITLE, "title", self->title_row, self->title_entry, NULL);
  setup_text_field (self, TEXT_VOLUME, "volume", self->volume_row, self->volume_entry, NULL);
  setup_text_field (self, TEXT_CLOSE_MONTH, "close_month", self->close_row, self->close_entry, NULL);
  setup_text_field (self, TEXT_FOLLOW_UP, "next_follow_up", self->follow_up_row, self->follow_up_entry, NULL);
  setup_text_field (self, TEXT_OWNER, "owner", self->owner_row, self->owner_entry, NULL);

  choice_rows[CHOICE_PHASE] = self->phase_row;
  choice_rows[CHOICE_STATUS] = self->status_row;
  choice_rows[CHOICE_TYPE] = self->type_row;
  choice_rows[CHOICE_UNIT] = self->unit_row;
  choice_rows[CHOICE_SOURCE] = self->source_row;
  for (guint i = 0; i < N_CHOICE; i++)
    {
      self->choice[i].field = choices[i].field;
      self->choice[i].kind = choices[i].kind;
      self->choice[i].optional = choices[i].optional;
      self->choice[i].row = choice_rows[i];
      g_signal_connect (choice_rows[i], "notify::selected", G_CALLBACK (on_choice_selected_cb), self);
    }

  codes = gtk_string_list_new (crm_currency_list ());
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->currency_dropdown, expression);
  gtk_drop_down_set_model (self->currency_dropdown, G_LIST_MODEL (codes));

  g_signal_connect_object (gtk_text_view_get_buffer (self->description_view), "changed",
                           G_CALLBACK (on_description_changed_cb), self, G_CONNECT_SWAPPED);
  placeholder = gtk_label_new (_("No contact reports yet. Log the first one after your next call or visit."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (self->history_list, placeholder);
}

/* ----------------------------------------------------------------- public */

void
crm_lead_detail_set_store (CrmLeadDetail *self,
                           CrmStore      *store)
{
  g_return_if_fail (CRM_IS_LEAD_DETAIL (self));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  g_signal_connect_object (store, "key-values-changed",
                           G_CALLBACK (on_key_values_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "lead-changed",
                           G_CALLBACK (on_store_lead_changed_cb), self, G_CONNECT_SWAPPED);

  for (guint i = 0; i < N_CHOICE; i++)
    fill_choice (self, &self->choice[i]);
}

CrmLead *
crm_lead_detail_get_lead (CrmLeadDetail *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_DETAIL (self), NULL);

  return self->lead;
}

void
crm_lead_detail_set_lead (CrmLeadDetail *self,
                          CrmLead       *lead)
{
  g_return_if_fail (CRM_IS_LEAD_DETAIL (self));

  if (self->lead == lead)
    return;

  clear_lead (self);
  if (lead == NULL)
    return;

  self->lead = g_object_ref (lead);
  self->notify_handler = g_signal_connect_object (lead, "notify", G_CALLBACK (on_lead_notify_cb),
                                                  self, G_CONNECT_SWAPPED);

  /* lists may hide deactivated values the new lead still uses */
  for (guint i = 0; i < N_CHOICE; i++)
    fill_choice (self, &self->choice[i]);

  update_from_lead (self);
  g_clear_handle_id (&self->history_source, g_source_remove);
  update_history (self);
}

void
crm_lead_detail_focus_title (CrmLeadDetail *self)
{
  g_return_if_fail (CRM_IS_LEAD_DETAIL (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->title_entry), 0, -1);
}

static TextField *
text_field_by_name (CrmLeadDetail *self,
                    const char    *field)
{
  for (guint i = 0; i < N_TEXT; i++)
    if (g_strcmp0 (self->text[i].field, field) == 0)
      return &self->text[i];

  return NULL;
}

/**
 * crm_lead_detail_set_field_text:
 * @field: "title", "volume", "close_month", "next_follow_up", "owner" or
 *   "probability"
 *
 * Types @text into a field and saves it the way leaving the field does.
 * For tests and scripted use.
 *
 * Returns: whether the value was valid and stored
 */
gboolean
crm_lead_detail_set_field_text (CrmLeadDetail *self,
                                const char    *field,
                                const char    *text)
{
  TextField *tf;

  g_return_val_if_fail (CRM_IS_LEAD_DETAIL (self), FALSE);

  if (g_strcmp0 (field, "probability") == 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->probability_spin), text);
      gtk_spin_button_update (self->probability_spin);
      return gtk_spin_button_get_value_as_int (self->probability_spin) == crm_lead_get_probability (self->lead);
    }

  tf = text_field_by_name (self, field);
  g_return_val_if_fail (tf != NULL, FALSE);

  gtk_editable_set_text (tf->editable, text);
  return save_text_field (tf);
}

const char *
crm_lead_detail_get_field_error (CrmLeadDetail *self,
                                 const char    *field)
{
  TextField *tf;

  g_return_val_if_fail (CRM_IS_LEAD_DETAIL (self), NULL);

  tf = text_field_by_name (self, field);
  return tf != NULL ? tf->error : NULL;
}

GtkListBox *
crm_lead_detail_get_history_list (CrmLeadDetail *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_DETAIL (self), NULL);

  return self->history_list;
}

/* A read-only user (team server) sees every field but cannot edit one:
 * the editing groups are insensitive; the history stays readable. */
void
crm_lead_detail_set_read_only (CrmLeadDetail *self,
                               gboolean       read_only)
{
  g_return_if_fail (CRM_IS_LEAD_DETAIL (self));

  self->read_only = !!read_only;
  gtk_widget_set_visible (self->read_only_box, read_only);
  gtk_widget_set_sensitive (self->opportunity_group, !read_only);
  gtk_widget_set_sensitive (self->classification_group, !read_only);
  gtk_widget_set_sensitive (self->description_group, !read_only);
}

gboolean
crm_lead_detail_get_read_only (CrmLeadDetail *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_DETAIL (self), FALSE);

  return self->read_only;
}
