/* crm-pipeline-column.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One column of the Pipeline board: the open leads of one sales phase as
 * cards, sorted by expected close month, under a header with their count
 * and sums. The cards come from a CrmLeadListModel of their own (ids only,
 * queried in a worker thread), so a phase with hundreds of thousands of
 * leads costs its ids and the cards on screen, never an object per lead.
 *
 * The column is a drop target for cards (a gint64 lead id): it only says
 * that a lead was dropped (::lead-dropped); the board decides what that
 * means. After a move the board asks the column to focus the moved lead:
 * the column selects and focuses it once its query has the lead.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-pipeline-column.h"

#define MAX_FOCUS_TRIES 30

struct _CrmPipelineColumn
{
  GtkWidget           parent_instance;

  CrmStore           *store;
  CrmKeyValue        *phase;
  CrmLeadListModel   *model;
  GtkSingleSelection *selection;
  gint64              pending_focus;
  guint               focus_source;
  guint               focus_tries;

  /* template */
  GtkWidget          *header;
  GtkLabel           *phase_label;
  GtkLabel           *count_label;
  GtkLabel           *absolute_label;
  GtkLabel           *weighted_label;
  GtkStack           *stack;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (CrmPipelineColumn, crm_pipeline_column, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PHASE,
  N_PROPS
};

enum {
  SIGNAL_LEAD_DROPPED,
  SIGNAL_LEAD_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------- helpers */

static void
update_header (CrmPipelineColumn *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *count = g_strdup_printf ("%'u", n);
  g_autofree char *leads = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u lead", "%'u leads", n), n);
  g_autofree char *a11y = NULL;

  gtk_label_set_label (self->count_label, count);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), leads);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, leads, -1);

  /* TRANSLATORS: accessible name of a Pipeline column: the phase and "12 leads" */
  a11y = g_strdup_printf (_("%s, %s"), crm_key_value_get_label (self->phase), leads);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

  if (!crm_lead_list_model_get_loading (self->model) || n > 0)
    gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static GtkWidget *
find_card_widget (GtkWidget *widget,
                  gint64     lead_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (CRM_IS_PIPELINE_CARD (child))
        {
          CrmLead *lead = crm_pipeline_card_get_lead (CRM_PIPELINE_CARD (child));

          if (lead != NULL && crm_lead_get_id (lead) == lead_id)
            return child;
          continue;
        }
      if ((found = find_card_widget (child, lead_id)) != NULL)
        return found;
    }

  return NULL;
}

/* Gives the row of the pending lead the keyboard focus once the list has
 * built it (after the scroll); tries again on the next idles meanwhile. */
static gboolean
focus_idle_cb (gpointer user_data)
{
  CrmPipelineColumn *self = user_data;
  GtkWidget *card = find_card_widget (GTK_WIDGET (self->list_view), self->pending_focus);

  if (card != NULL && gtk_widget_get_parent (card) != NULL &&
      gtk_widget_grab_focus (gtk_widget_get_parent (card)))
    {
      self->pending_focus = 0;
      self->focus_source = 0;
      return G_SOURCE_REMOVE;
    }

  if (++self->focus_tries >= MAX_FOCUS_TRIES)
    {
      self->focus_source = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
try_focus (CrmPipelineColumn *self)
{
  guint position;

  if (self->pending_focus == 0)
    return;

  position = crm_lead_list_model_find (self->model, self->pending_focus);
  if (position == G_MAXUINT)
    return;

  gtk_stack_set_visible_child_name (self->stack, "list");
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);

  self->focus_tries = 0;
  if (self->focus_source == 0)
    self->focus_source = g_idle_add_full (G_PRIORITY_LOW, focus_idle_cb, self, NULL);
}

/* -------------------------------------------------------------- callbacks */

static void
on_model_loading_cb (CrmPipelineColumn *self)
{
  if (crm_lead_list_model_get_loading (self->model))
    return;

  update_header (self);
  try_focus (self);
}

static void
on_activate_cb (CrmPipelineColumn *self,
                guint              position)
{
  gint64 id = crm_lead_list_model_get_id (self->model, position);

  if (id > 0)
    g_signal_emit (self, signals[SIGNAL_LEAD_ACTIVATED], 0, id);
}

static gboolean
on_drop_cb (GtkDropTarget     *target,
            const GValue      *value,
            double             x,
            double             y,
            CrmPipelineColumn *self)
{
  gint64 id;

  if (!G_VALUE_HOLDS_INT64 (value))
    return FALSE;

  id = g_value_get_int64 (value);
  if (id <= 0)
    return FALSE;

  g_signal_emit (self, signals[SIGNAL_LEAD_DROPPED], 0, id);
  return TRUE;
}

static void
setup_card_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CrmPipelineColumn        *self)
{
  gtk_list_item_set_child (item, crm_pipeline_card_new ());
}

static void
bind_card_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CrmPipelineColumn        *self)
{
  CrmPipelineCard *card = CRM_PIPELINE_CARD (gtk_list_item_get_child (item));

  crm_pipeline_card_set_stale_days (card, crm_key_value_get_stale_days (self->phase));
  crm_pipeline_card_set_lead (card, gtk_list_item_get_item (item));
}

static void
unbind_card_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CrmPipelineColumn        *self)
{
  crm_pipeline_card_set_lead (CRM_PIPELINE_CARD (gtk_list_item_get_child (item)), NULL);
}

static void
set_cards_stale_days (GtkWidget *widget,
                      int        stale_days)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (CRM_IS_PIPELINE_CARD (child))
        crm_pipeline_card_set_stale_days (CRM_PIPELINE_CARD (child), stale_days);
      else
        set_cards_stale_days (child, stale_days);
    }
}

/* -------------------------------------------------------------- overrides */

static void
crm_pipeline_column_constructed (GObject *object)
{
  CrmPipelineColumn *self = CRM_PIPELINE_COLUMN (object);

  G_OBJECT_CLASS (crm_pipeline_column_parent_class)->constructed (object);

  g_assert (CRM_IS_STORE (self->store));
  g_assert (CRM_IS_KEY_VALUE (self->phase));

  self->model = crm_lead_list_model_new (self->store);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (on_model_loading_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  gtk_label_set_label (self->phase_label, crm_key_value_get_label (self->phase));
  update_header (self);
}

static void
crm_pipeline_column_dispose (GObject *object)
{
  CrmPipelineColumn *self = CRM_PIPELINE_COLUMN (object);
  GtkWidget *child;

  g_clear_handle_id (&self->focus_source, g_source_remove);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PIPELINE_COLUMN);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->phase);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_pipeline_column_parent_class)->dispose (object);
}

static void
crm_pipeline_column_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CrmPipelineColumn *self = CRM_PIPELINE_COLUMN (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PHASE:
      g_value_set_object (value, self->phase);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pipeline_column_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CrmPipelineColumn *self = CRM_PIPELINE_COLUMN (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PHASE:
      if (self->model == NULL)
        self->phase = g_value_dup_object (value);
      else
        crm_pipeline_column_set_phase (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pipeline_column_class_init (CrmPipelineColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_pipeline_column_constructed;
  object_class->dispose = crm_pipeline_column_dispose;
  object_class->get_property = crm_pipeline_column_get_property;
  object_class->set_property = crm_pipeline_column_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHASE] =
    g_param_spec_object ("phase", NULL, NULL, CRM_TYPE_KEY_VALUE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmPipelineColumn::lead-dropped:
   * @lead_id: the lead whose card was dropped on the column
   */
  signals[SIGNAL_LEAD_DROPPED] =
    g_signal_new ("lead-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * CrmPipelineColumn::lead-activated:
   * @lead_id: the lead whose card was activated (Enter, double click)
   */
  signals[SIGNAL_LEAD_ACTIVATED] =
    g_signal_new ("lead-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (CRM_TYPE_PIPELINE_CARD);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pipelinecolumn");
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-pipeline-column.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineColumn, header);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineColumn, phase_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineColumn, count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineColumn, absolute_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineColumn, weighted_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineColumn, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineColumn, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_cb);
}

static void
crm_pipeline_column_init (CrmPipelineColumn *self)
{
  GtkListItemFactory *factory;
  GtkDropTarget *target;
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_card_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  target = gtk_drop_target_new (G_TYPE_INT64, GDK_ACTION_MOVE);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* ----------------------------------------------------------------- public */

GtkWidget *
crm_pipeline_column_new (CrmStore    *store,
                         CrmKeyValue *phase)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (CRM_IS_KEY_VALUE (phase), NULL);

  return g_object_new (CRM_TYPE_PIPELINE_COLUMN, "store", store, "phase", phase, NULL);
}

CrmKeyValue *
crm_pipeline_column_get_phase (CrmPipelineColumn *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_COLUMN (self), NULL);

  return self->phase;
}

/* The same phase, reloaded by the store (label, stale days changed). */
void
crm_pipeline_column_set_phase (CrmPipelineColumn *self,
                               CrmKeyValue       *phase)
{
  g_return_if_fail (CRM_IS_PIPELINE_COLUMN (self));
  g_return_if_fail (CRM_IS_KEY_VALUE (phase));
  g_return_if_fail (g_strcmp0 (crm_key_value_get_key (phase), crm_key_value_get_key (self->phase)) == 0);

  if (!g_set_object (&self->phase, phase))
    return;

  gtk_label_set_label (self->phase_label, crm_key_value_get_label (phase));
  set_cards_stale_days (GTK_WIDGET (self->list_view), crm_key_value_get_stale_days (phase));
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
}

/* Shows the open leads of the column's phase that @base lets through
 * (its phase, status and order are replaced). */
void
crm_pipeline_column_set_filter (CrmPipelineColumn   *self,
                                const CrmLeadFilter *base)
{
  g_autoptr(CrmLeadFilter) filter = NULL;

  g_return_if_fail (CRM_IS_PIPELINE_COLUMN (self));

  filter = base != NULL ? crm_lead_filter_copy (base) : crm_lead_filter_new ();
  crm_lead_filter_set_string (&filter->phase, crm_key_value_get_key (self->phase));
  crm_lead_filter_set_string (&filter->status, NULL);
  filter->status_class = CRM_STATUS_FILTER_OPEN;
  filter->sort = CRM_LEAD_SORT_CLOSE_MONTH;
  filter->descending = FALSE;

  crm_lead_list_model_set_filter (self->model, filter);
}

CrmLeadListModel *
crm_pipeline_column_get_model (CrmPipelineColumn *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_COLUMN (self), NULL);

  return self->model;
}

GtkListView *
crm_pipeline_column_get_list_view (CrmPipelineColumn *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_COLUMN (self), NULL);

  return self->list_view;
}

/* The lead whose card is selected (it follows the keyboard focus), or 0 */
gint64
crm_pipeline_column_get_focus_lead (CrmPipelineColumn *self)
{
  guint position;

  g_return_val_if_fail (CRM_IS_PIPELINE_COLUMN (self), 0);

  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    return 0;

  return crm_lead_list_model_get_id (self->model, position);
}

/* Selects and focuses the card of @lead_id as soon as the column lists it */
void
crm_pipeline_column_focus_lead (CrmPipelineColumn *self,
                                gint64             lead_id)
{
  g_return_if_fail (CRM_IS_PIPELINE_COLUMN (self));

  self->pending_focus = lead_id;
  if (!crm_lead_list_model_get_loading (self->model))
    try_focus (self);
}

/* Selects and focuses the card at @position (clamped), if there is one;
 * returns whether there is. */
gboolean
crm_pipeline_column_focus_position (CrmPipelineColumn *self,
                                    guint              position)
{
  guint n;

  g_return_val_if_fail (CRM_IS_PIPELINE_COLUMN (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  if (n == 0)
    return FALSE;

  crm_pipeline_column_focus_lead (self, crm_lead_list_model_get_id (self->model, MIN (position, n - 1)));
  return TRUE;
}

/* The position of the selected card, or GTK_INVALID_LIST_POSITION */
guint
crm_pipeline_column_get_focus_position (CrmPipelineColumn *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_COLUMN (self), GTK_INVALID_LIST_POSITION);

  return gtk_single_selection_get_selected (self->selection);
}

/* No card selected (another column has the focus) */
void
crm_pipeline_column_unselect (CrmPipelineColumn *self)
{
  g_return_if_fail (CRM_IS_PIPELINE_COLUMN (self));

  /* GtkSingleSelection 4.8 has no unselect_all () of its own */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

void
crm_pipeline_column_set_sums (CrmPipelineColumn *self,
                              const char        *absolute,
                              const char        *weighted,
                              const char        *tooltip)
{
  g_autofree char *absolute_text = NULL;
  g_autofree char *weighted_text = NULL;

  g_return_if_fail (CRM_IS_PIPELINE_COLUMN (self));

  /* TRANSLATORS: footer sum of the volume of the leads shown */
  absolute_text = g_strdup_printf (_("Volume %s"), absolute);
  /* TRANSLATORS: footer sum of volume × probability of the leads shown */
  weighted_text = g_strdup_printf (_("Weighted %s"), weighted);

  gtk_label_set_label (self->absolute_label, absolute_text);
  gtk_label_set_label (self->weighted_label, weighted_text);
  gtk_widget_set_tooltip_text (self->header, tooltip);
}

/* "Proposal | 12 | Volume 1,234.00 € | Weighted 617.00 €", as shown */
char *
crm_pipeline_column_dup_header_text (CrmPipelineColumn *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_COLUMN (self), NULL);

  return g_strdup_printf ("%s | %s | %s | %s",
                          gtk_label_get_label (self->phase_label),
                          gtk_label_get_label (self->count_label),
                          gtk_label_get_label (self->absolute_label),
                          gtk_label_get_label (self->weighted_label));
}

/* The card that shows @lead_id, when the list has built it */
CrmPipelineCard *
crm_pipeline_column_find_card (CrmPipelineColumn *self,
                               gint64             lead_id)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_COLUMN (self), NULL);

  return (CrmPipelineCard *) find_card_widget (GTK_WIDGET (self->list_view), lead_id);
}
