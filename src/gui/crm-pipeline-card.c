/* crm-pipeline-card.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One lead on the Pipeline board: title, contact, volume, probability and
 * expected close month, and a mark when the lead went longer than its
 * phase allows without a contact report (stale). The card follows its
 * live CrmLead through property notifications, and it is a drag source:
 * the drag carries the lead's id (a gint64), which a column's drop target
 * takes.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-money.h"
#include "crm-month.h"
#include "crm-pipeline-card.h"

struct _CrmPipelineCard
{
  GtkWidget  parent_instance;

  CrmLead   *lead;
  gulong     notify_handler;
  int        stale_days;
  gboolean   stale;
  char      *stale_text;

  /* template */
  GtkLabel  *title_label;
  GtkImage  *stale_image;
  GtkLabel  *contact_label;
  GtkLabel  *volume_label;
  GtkLabel  *probability_label;
  GtkLabel  *close_label;
};

G_DEFINE_FINAL_TYPE (CrmPipelineCard, crm_pipeline_card, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LEAD,
  PROP_STALE_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------- helpers */

static void
update (CrmPipelineCard *self)
{
  CrmLead *lead = self->lead;
  g_autofree char *volume = NULL;
  g_autofree char *probability = NULL;
  g_autofree char *close = NULL;
  g_autofree char *month = NULL;
  g_autofree char *a11y = NULL;
  const char *contact;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean custom;

  g_clear_pointer (&self->stale_text, g_free);
  self->stale = FALSE;

  if (lead == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->contact_label, "");
      gtk_label_set_label (self->volume_label, "");
      gtk_label_set_label (self->probability_label, "");
      gtk_label_set_label (self->close_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->stale_image), FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self), "stale");
      return;
    }

  contact = crm_lead_get_contact_name (lead);
  volume = crm_money_format (crm_lead_get_volume_minor (lead), crm_lead_get_currency (lead));
  probability = g_strdup_printf (_("%d %%"), crm_lead_get_probability (lead));
  if (crm_lead_get_close_month (lead) != CRM_MONTH_NONE)
    {
      month = crm_month_format (crm_lead_get_close_month (lead));
      /* TRANSLATORS: on a Pipeline card; %s is the expected close month, "March 2027" */
      close = g_strdup_printf (_("Closes %s"), month);
    }
  else
    close = g_strdup (_("No close month"));

  gtk_label_set_label (self->title_label, crm_lead_get_title (lead));
  gtk_label_set_label (self->contact_label, contact != NULL && *contact != '\0' ? contact : _("No contact"));
  gtk_label_set_label (self->volume_label, volume);
  gtk_label_set_label (self->probability_label, probability);
  gtk_label_set_label (self->close_label, close);

  custom = crm_lead_get_phase_probability (lead) >= 0 &&
           crm_lead_get_phase_probability (lead) != crm_lead_get_probability (lead);
  if (custom)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->probability_label), "custom-probability");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->probability_label),
                                   _("The lead’s own probability, not the phase’s default"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->probability_label), "custom-probability");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->probability_label), NULL);
    }

  if (crm_lead_is_stale (lead, self->stale_days, now))
    {
      int days = crm_lead_get_days_without_contact (lead, now);

      self->stale = TRUE;
      self->stale_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "No contact report for %d day",
                                                       "No contact report for %d days",
                                                       days),
                                          days);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->stale_image), self->stale_text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->stale_image),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, self->stale_text,
                                      -1);
      gtk_widget_add_css_class (GTK_WIDGET (self), "stale");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "stale");
  gtk_widget_set_visible (GTK_WIDGET (self->stale_image), self->stale);

  /* TRANSLATORS: what a screen reader says for a Pipeline card: title,
   * contact, volume, probability, close month */
  a11y = g_strdup_printf (_("%s, %s, %s, %s, %s"),
                          crm_lead_get_title (lead),
                          gtk_label_get_label (self->contact_label),
                          volume, probability, close);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->stale ? self->stale_text : "",
                                  -1);
}

/* -------------------------------------------------------------- callbacks */

static void
on_lead_notify_cb (CrmPipelineCard *self)
{
  update (self);
}

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource   *source,
                    double           x,
                    double           y,
                    CrmPipelineCard *self)
{
  if (self->lead == NULL || crm_lead_get_id (self->lead) <= 0)
    return NULL;

  return gdk_content_provider_new_typed (G_TYPE_INT64, crm_lead_get_id (self->lead));
}

static void
on_drag_begin_cb (GtkDragSource   *source,
                  GdkDrag         *drag,
                  CrmPipelineCard *self)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self), "dragged");
}

static void
on_drag_end_cb (GtkDragSource   *source,
                GdkDrag         *drag,
                gboolean         delete_data,
                CrmPipelineCard *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self), "dragged");
}

/* -------------------------------------------------------------- overrides */

static void
crm_pipeline_card_dispose (GObject *object)
{
  CrmPipelineCard *self = CRM_PIPELINE_CARD (object);
  GtkWidget *child;

  crm_pipeline_card_set_lead (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PIPELINE_CARD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (crm_pipeline_card_parent_class)->dispose (object);
}

static void
crm_pipeline_card_finalize (GObject *object)
{
  CrmPipelineCard *self = CRM_PIPELINE_CARD (object);

  g_free (self->stale_text);

  G_OBJECT_CLASS (crm_pipeline_card_parent_class)->finalize (object);
}

static void
crm_pipeline_card_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmPipelineCard *self = CRM_PIPELINE_CARD (object);

  switch (prop_id)
    {
    case PROP_LEAD:
      g_value_set_object (value, self->lead);
      break;
    case PROP_STALE_DAYS:
      g_value_set_int (value, self->stale_days);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pipeline_card_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmPipelineCard *self = CRM_PIPELINE_CARD (object);

  switch (prop_id)
    {
    case PROP_LEAD:
      crm_pipeline_card_set_lead (self, g_value_get_object (value));
      break;
    case PROP_STALE_DAYS:
      crm_pipeline_card_set_stale_days (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pipeline_card_class_init (CrmPipelineCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_pipeline_card_dispose;
  object_class->finalize = crm_pipeline_card_finalize;
  object_class->get_property = crm_pipeline_card_get_property;
  object_class->set_property = crm_pipeline_card_set_property;

  properties[PROP_LEAD] =
    g_param_spec_object ("lead", NULL, NULL, CRM_TYPE_LEAD,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STALE_DAYS] =
    g_param_spec_int ("stale-days", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pipelinecard");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-pipeline-card.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineCard, stale_image);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineCard, contact_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineCard, volume_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineCard, probability_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineCard, close_label);
}

static void
crm_pipeline_card_init (CrmPipelineCard *self)
{
  GtkDragSource *source;
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 2);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare_cb), self);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (source, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));
}

/* ----------------------------------------------------------------- public */

GtkWidget *
crm_pipeline_card_new (void)
{
  return g_object_new (CRM_TYPE_PIPELINE_CARD, NULL);
}

CrmLead *
crm_pipeline_card_get_lead (CrmPipelineCard *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_CARD (self), NULL);

  return self->lead;
}

void
crm_pipeline_card_set_lead (CrmPipelineCard *self,
                            CrmLead         *lead)
{
  g_return_if_fail (CRM_IS_PIPELINE_CARD (self));
  g_return_if_fail (lead == NULL || CRM_IS_LEAD (lead));

  if (self->lead == lead)
    return;

  if (self->lead != NULL)
    g_clear_signal_handler (&self->notify_handler, self->lead);
  g_set_object (&self->lead, lead);
  if (lead != NULL)
    self->notify_handler = g_signal_connect_swapped (lead, "notify", G_CALLBACK (on_lead_notify_cb), self);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEAD]);
}

int
crm_pipeline_card_get_stale_days (CrmPipelineCard *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_CARD (self), 0);

  return self->stale_days;
}

/* The days the lead's phase allows without a contact report; 0: never stale */
void
crm_pipeline_card_set_stale_days (CrmPipelineCard *self,
                                  int              stale_days)
{
  g_return_if_fail (CRM_IS_PIPELINE_CARD (self));

  if (self->stale_days == stale_days)
    return;

  self->stale_days = stale_days;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE_DAYS]);
}

gboolean
crm_pipeline_card_get_stale (CrmPipelineCard *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_CARD (self), FALSE);

  return self->stale;
}

/* "No contact report for 40 days" while the card is marked, else NULL */
const char *
crm_pipeline_card_get_stale_text (CrmPipelineCard *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_CARD (self), NULL);

  return self->stale_text;
}
