/* crm-report-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "New contact report": kind, date and time, subject, text, and
 * optionally a new probability and phase. Saving writes the report and
 * the changes it causes in one transaction (crm_store_add_activity); a
 * refused report keeps the dialog open with the reason shown.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-report-dialog.h"

struct _CrmReportDialog
{
  AdwWindow      parent_instance;

  CrmStore      *store;
  CrmLead       *lead;
  GPtrArray     *kind_keys;
  GPtrArray     *phase_keys;

  /* template */
  GtkLabel      *lead_label;
  GtkLabel      *error_label;
  AdwComboRow   *kind_row;
  AdwActionRow  *when_row;
  GtkEntry      *when_entry;
  GtkEntry      *subject_entry;
  GtkTextView   *text_view;
  GtkSwitch     *probability_switch;
  GtkSpinButton *probability_spin;
  AdwComboRow   *phase_row;
};

G_DEFINE_FINAL_TYPE (CrmReportDialog, crm_report_dialog, ADW_TYPE_WINDOW)

/* "2026-11-27 14:05" (local time), or "2026-11-27". */
static gboolean
parse_when (const char *text,
            gint64     *out_at)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *clean = g_strstrip (g_strdup (text));

  if (strlen (clean) == 10)
    iso = g_strdup_printf ("%sT12:00:00", clean);
  else if (strlen (clean) == 16 && clean[10] == ' ')
    {
      clean[10] = 'T';
      iso = g_strdup_printf ("%s:00", clean);
    }
  else
    iso = g_strdup (clean);

  dt = g_date_time_new_from_iso8601 (iso, tz);
  if (dt == NULL)
    return FALSE;

  *out_at = g_date_time_to_unix (dt);
  return TRUE;
}

static void
show_error (CrmReportDialog *self,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmReportDialog *self = CRM_REPORT_DIALOG (widget);

  if (crm_report_dialog_save (self) != 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_probability_switch_cb (CrmReportDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->probability_spin),
                            gtk_switch_get_active (self->probability_switch));
}

static void
crm_report_dialog_dispose (GObject *object)
{
  CrmReportDialog *self = CRM_REPORT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_REPORT_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->lead);
  g_clear_pointer (&self->kind_keys, g_ptr_array_unref);
  g_clear_pointer (&self->phase_keys, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_report_dialog_parent_class)->dispose (object);
}

static void
crm_report_dialog_class_init (CrmReportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_report_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-report-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, lead_label);
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, when_row);
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, when_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, probability_switch);
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, probability_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmReportDialog, phase_row);
  gtk_widget_class_bind_template_callback (widget_class, on_probability_switch_cb);

  gtk_widget_class_install_action (widget_class, "report.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "report.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_report_dialog_init (CrmReportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static GtkStringList *
key_value_labels (CrmStore   *store,
                  const char *kind,
                  const char *first_label,
                  GPtrArray  *keys)
{
  g_autoptr(GListModel) values = crm_store_list_key_values (store, kind, FALSE);
  GtkStringList *labels = gtk_string_list_new (NULL);

  if (first_label != NULL)
    {
      gtk_string_list_append (labels, first_label);
      g_ptr_array_add (keys, NULL);
    }

  for (guint i = 0; i < g_list_model_get_n_items (values); i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);

      gtk_string_list_append (labels, crm_key_value_get_label (kv));
      g_ptr_array_add (keys, g_strdup (crm_key_value_get_key (kv)));
    }

  return labels;
}

GtkWindow *
crm_report_dialog_new (CrmStore  *store,
                       CrmLead   *lead,
                       GtkWindow *parent)
{
  CrmReportDialog *self;
  g_autoptr(GtkStringList) kinds = NULL;
  g_autoptr(GtkStringList) phases = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *phase_hint = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (CRM_IS_LEAD (lead), NULL);

  self = g_object_new (CRM_TYPE_REPORT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->lead = g_object_ref (lead);
  self->kind_keys = g_ptr_array_new_with_free_func (g_free);
  self->phase_keys = g_ptr_array_new_with_free_func (g_free);

  gtk_label_set_label (self->lead_label, crm_lead_get_title (lead));

  kinds = key_value_labels (store, "activity_kind", NULL, self->kind_keys);
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));

  phase_hint = g_strdup_printf (_("Keep “%s”"), crm_lead_get_phase_label (lead));
  phases = key_value_labels (store, "phase", phase_hint, self->phase_keys);
  adw_combo_row_set_model (self->phase_row, G_LIST_MODEL (phases));

  gtk_editable_set_text (GTK_EDITABLE (self->when_entry), when);
  gtk_spin_button_set_value (self->probability_spin, crm_lead_get_probability (lead));
  on_probability_switch_cb (self);

  return GTK_WINDOW (self);
}

/* Fills the form as a person would; for tests and scripted use.
 * @probability: -1 to keep the lead's probability
 * @phase: (nullable): a phase key, or %NULL to keep the phase */
void
crm_report_dialog_fill (CrmReportDialog *self,
                        const char      *subject,
                        const char      *text,
                        int              probability,
                        const char      *phase)
{
  g_return_if_fail (CRM_IS_REPORT_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), subject ? subject : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ? text : "", -1);
  gtk_switch_set_active (self->probability_switch, probability >= 0);
  if (probability >= 0)
    gtk_spin_button_set_value (self->probability_spin, probability);

  adw_combo_row_set_selected (self->phase_row, 0);
  for (guint i = 1; phase != NULL && i < self->phase_keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->phase_keys, i), phase) == 0)
      adw_combo_row_set_selected (self->phase_row, i);
}

/* Returns: the new report's id, or 0 when it was refused (the reason
 * is shown in the dialog). */
gint64
crm_report_dialog_save (CrmReportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  guint kind_index, phase_index;
  gint64 at;
  gint64 id;

  g_return_val_if_fail (CRM_IS_REPORT_DIALOG (self), 0);

  if (!parse_when (gtk_editable_get_text (GTK_EDITABLE (self->when_entry)), &at))
    {
      show_error (self, _("The date is not valid; use the form 2026-11-27 14:30"));
      gtk_widget_add_css_class (GTK_WIDGET (self->when_row), "error");
      return 0;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->when_row), "error");

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  kind_index = adw_combo_row_get_selected (self->kind_row);
  phase_index = adw_combo_row_get_selected (self->phase_row);

  id = crm_store_add_activity (self->store, crm_lead_get_id (self->lead),
                               kind_index < self->kind_keys->len ? g_ptr_array_index (self->kind_keys, kind_index) : NULL,
                               at,
                               gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)),
                               text,
                               gtk_switch_get_active (self->probability_switch)
                                 ? gtk_spin_button_get_value_as_int (self->probability_spin) : -1,
                               phase_index < self->phase_keys->len ? g_ptr_array_index (self->phase_keys, phase_index) : NULL,
                               &error);
  if (id == 0)
    {
      const char *colon = strstr (error->message, ": ");

      show_error (self, colon != NULL ? colon + 2 : error->message);
      return 0;
    }

  show_error (self, NULL);
  return id;
}
