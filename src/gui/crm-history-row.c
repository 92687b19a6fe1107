/* crm-history-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One entry of a lead's or a contact's history: a contact report (kind,
 * subject, text, the probability and phase it set) or a logged change
 * ("Probability 30 % → 50 %"), with who and when. In a contact's history
 * the lead's title is shown too.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-history-row.h"
#include "crm-lead.h"

struct _CrmHistoryRow
{
  GtkListBoxRow   parent_instance;

  CrmHistoryItem *item;

  GtkImage       *icon;
  GtkLabel       *title_label;
  GtkLabel       *meta_label;
  GtkLabel       *text_label;
  GtkLabel       *lead_label;
};

G_DEFINE_FINAL_TYPE (CrmHistoryRow, crm_history_row, GTK_TYPE_LIST_BOX_ROW)

static char *
format_time (gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  /* TRANSLATORS: date and time of a history entry, see g_date_time_format() */
  return g_date_time_format (local, _("%x, %H:%M"));
}

static char *
change_title (CrmHistoryItem *item)
{
  const char *field = crm_history_item_get_field (item);

  if (g_strcmp0 (field, "created") == 0)
    return g_strdup (_("Lead created"));
  if (g_strcmp0 (field, "deleted") == 0)
    return g_strdup (_("Lead deleted"));
  if (g_strcmp0 (field, "restored") == 0)
    return g_strdup (_("Lead restored"));

  /* TRANSLATORS: a logged change: field, old value → new value */
  return g_strdup_printf (_("%s: %s → %s"),
                          crm_lead_field_label (field),
                          crm_history_item_get_old_label (item),
                          crm_history_item_get_new_label (item));
}

static void
crm_history_row_dispose (GObject *object)
{
  CrmHistoryRow *self = CRM_HISTORY_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_HISTORY_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (crm_history_row_parent_class)->dispose (object);
}

static void
crm_history_row_class_init (CrmHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmHistoryRow, icon);
  gtk_widget_class_bind_template_child (widget_class, CrmHistoryRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrmHistoryRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, CrmHistoryRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, CrmHistoryRow, lead_label);
}

static void
crm_history_row_init (CrmHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
crm_history_row_new (CrmHistoryItem *item,
                     gboolean        show_lead)
{
  CrmHistoryRow *self = g_object_new (CRM_TYPE_HISTORY_ROW, NULL);
  g_autofree char *when = format_time (crm_history_item_get_at (item));
  g_autofree char *meta = NULL;
  g_autoptr(GString) accessible = g_string_new (NULL);

  self->item = g_object_ref (item);

  if (crm_history_item_is_report (item))
    {
      const char *subject = crm_history_item_get_subject (item);
      const char *text = crm_history_item_get_text (item);
      g_autoptr(GString) extra = g_string_new (NULL);
      g_autofree char *title = NULL;

      title = subject && *subject
        ? g_strdup_printf ("%s: %s", crm_history_item_get_report_kind_label (item), subject)
        : g_strdup (crm_history_item_get_report_kind_label (item));
      gtk_label_set_label (self->title_label, title);
      gtk_image_set_from_icon_name (self->icon, "mail-unread-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self), "report");

      if (crm_history_item_get_probability (item) >= 0)
        /* TRANSLATORS: a contact report re-estimated the probability */
        g_string_append_printf (extra, _("New probability %d %%"), crm_history_item_get_probability (item));
      if (crm_history_item_get_phase_label (item) != NULL)
        {
          if (extra->len > 0)
            g_string_append (extra, " · ");
          g_string_append_printf (extra, _("New phase %s"), crm_history_item_get_phase_label (item));
        }
      if (text != NULL && *text != '\0')
        {
          if (extra->len > 0)
            g_string_append (extra, "\n");
          g_string_append (extra, text);
        }
      gtk_label_set_label (self->text_label, extra->str);
      gtk_widget_set_visible (GTK_WIDGET (self->text_label), extra->len > 0);
      g_string_append_printf (accessible, "%s. %s", title, extra->str);
    }
  else
    {
      g_autofree char *title = change_title (item);

      gtk_label_set_label (self->title_label, title);
      gtk_image_set_from_icon_name (self->icon, "document-edit-symbolic");
      gtk_widget_set_visible (GTK_WIDGET (self->text_label), FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (self), "change");
      g_string_append (accessible, title);
    }

  /* TRANSLATORS: when and by whom, e.g. "24.11.26, 14:05 · Anna Schäfer" */
  meta = g_strdup_printf (_("%s · %s"), when, crm_history_item_get_author (item));
  gtk_label_set_label (self->meta_label, meta);

  if (show_lead && crm_history_item_get_lead_title (item) != NULL)
    gtk_label_set_label (self->lead_label, crm_history_item_get_lead_title (item));
  gtk_widget_set_visible (GTK_WIDGET (self->lead_label), show_lead && crm_history_item_get_lead_title (item) != NULL);

  g_string_append_printf (accessible, ". %s", meta);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible->str,
                                  -1);

  return GTK_WIDGET (self);
}
