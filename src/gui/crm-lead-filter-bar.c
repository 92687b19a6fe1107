/* crm-lead-filter-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The filter bar of the Leads and Statistics views: search as you type, a
 * status set (a popover with a check button per status and shortcuts for
 * the open, won, lost and all statuses) and a popover with phase, owner,
 * sales unit, type, the close-month range or "no close month". It keeps one
 * CrmLeadFilter (sort fields untouched) and says "changed" whenever the
 * user changes it; crm_lead_filter_bar_set_filter() shows a filter made
 * elsewhere (the Statistics view opening the Leads view on a chart bar).
 * The choices follow the store's key values and owners.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-lead-filter-bar.h"
#include "crm-month.h"

/* ---------------------------------------------------------------- structs */

enum { FILTER_STATUS, FILTER_PHASE, FILTER_OWNER, FILTER_UNIT, FILTER_TYPE, N_FILTERS };

struct _CrmLeadFilterBar
{
  GtkWidget       parent_instance;

  CrmStore       *store;
  CrmLeadFilter  *filter;
  GPtrArray      *filter_keys[N_FILTERS];   /* the key behind each dropdown item after "all" */
  gboolean        show_phase;
  guint           updating : 1;

  /* template */
  GtkWidget      *search_bar;
  GtkSearchEntry *search_entry;
  GtkMenuButton  *status_button;
  GtkBox         *class_box;
  GtkBox         *status_box;
  GtkMenuButton  *filter_button;
  GtkLabel       *phase_label;
  GtkDropDown    *phase_dropdown;
  GtkDropDown    *owner_dropdown;
  GtkDropDown    *unit_dropdown;
  GtkDropDown    *type_dropdown;
  GtkEntry       *from_entry;
  GtkEntry       *to_entry;
  GtkCheckButton *no_month_check;

  GPtrArray      *status_checks;   /* GtkCheckButton per status: "crm-key", "crm-class" */
};

G_DEFINE_FINAL_TYPE (CrmLeadFilterBar, crm_lead_filter_bar, GTK_TYPE_WIDGET)

/* ----------------------------------------------------- enums and statics */

enum {
  PROP_0,
  PROP_SHOW_PHASE,
  PROP_PLACEHOLDER_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* the shortcuts above the statuses; the first three match CrmStatusClass */
static const CrmStatusFilter status_classes[] = {
  CRM_STATUS_FILTER_OPEN, CRM_STATUS_FILTER_WON, CRM_STATUS_FILTER_LOST, CRM_STATUS_FILTER_ANY,
};
static const char *status_class_labels[] = {
  N_("Open"), N_("Won"), N_("Lost"), N_("All statuses"),
};

#define N_STATUS_CLASSES G_N_ELEMENTS (status_classes)

static void read_filters (CrmLeadFilterBar *self);

/* ------------------------------------------------------ auxiliary methods */

/* Fills @dropdown with @first_labels (fixed items) and then @labels, one
 * per key, keeping the selected key when it is still there. */
static void
set_dropdown_items (CrmLeadFilterBar   *self,
                    GtkDropDown        *dropdown,
                    guint               which,
                    const char * const *first_labels,
                    guint               n_first,
                    GPtrArray          *keys,
                    GPtrArray          *labels)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  const char *selected_key = NULL;
  guint old = gtk_drop_down_get_selected (dropdown);
  guint selected = old < n_first ? old : 0;

  if (self->filter_keys[which] != NULL && old >= n_first && old - n_first < self->filter_keys[which]->len)
    selected_key = g_ptr_array_index (self->filter_keys[which], old - n_first);

  for (guint i = 0; i < n_first; i++)
    gtk_string_list_append (list, first_labels[i]);
  for (guint i = 0; i < labels->len; i++)
    {
      gtk_string_list_append (list, g_ptr_array_index (labels, i));
      if (g_strcmp0 (selected_key, g_ptr_array_index (keys, i)) == 0)
        selected = i + n_first;
    }

  /* the old keys stay alive until the new ones are in: selected_key */
  g_ptr_array_ref (keys);
  g_clear_pointer (&self->filter_keys[which], g_ptr_array_unref);
  self->filter_keys[which] = keys;

  self->updating = TRUE;
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (dropdown, selected);
  self->updating = FALSE;
}

static void
fill_key_dropdown (CrmLeadFilterBar *self,
                   GtkDropDown      *dropdown,
                   guint             which,
                   const char       *kind,
                   const char       *all_label)
{
  g_autoptr(GListModel) values = crm_store_list_key_values (self->store, kind, TRUE);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  const char *first[] = { all_label };
  guint n_first = 1;

  for (guint i = 0; i < g_list_model_get_n_items (values); i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);

      g_ptr_array_add (keys, g_strdup (crm_key_value_get_key (kv)));
      g_ptr_array_add (labels, g_strdup (crm_key_value_get_label (kv)));
    }

  set_dropdown_items (self, dropdown, which, first, n_first, keys, labels);
}

/* ------------------------------------------------------------ statuses */

static gboolean
class_matches (CrmStatusFilter status_class,
               int             kv_class)
{
  switch (status_class)
    {
    case CRM_STATUS_FILTER_OPEN:
      return kv_class == CRM_STATUS_CLASS_OPEN;
    case CRM_STATUS_FILTER_WON:
      return kv_class == CRM_STATUS_CLASS_WON;
    case CRM_STATUS_FILTER_LOST:
      return kv_class == CRM_STATUS_CLASS_LOST;
    case CRM_STATUS_FILTER_ANY:
    default:
      return TRUE;
    }
}

/* Whether @filter lets a lead of status @key (of class @kv_class) through. */
static gboolean
filter_includes (const CrmLeadFilter *filter,
                 const char          *key,
                 int                  kv_class)
{
  if (!class_matches (filter->status_class, kv_class))
    return FALSE;
  if (filter->status != NULL && *filter->status != '\0' && g_strcmp0 (filter->status, key) != 0)
    return FALSE;
  if (filter->statuses != NULL && filter->statuses[0] != NULL &&
      !g_strv_contains ((const char * const *) filter->statuses, key))
    return FALSE;

  return TRUE;
}

static void
check_statuses_of (CrmLeadFilterBar    *self,
                   const CrmLeadFilter *filter)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->status_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->status_checks, i);
      gboolean in = filter_includes (filter, g_object_get_data (G_OBJECT (check), "crm-key"),
                                     GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "crm-class")));

      gtk_check_button_set_active (check, in);
      any |= in;
    }

  /* a filter no status passes: show all rather than none */
  if (!any)
    for (guint i = 0; i < self->status_checks->len; i++)
      gtk_check_button_set_active (g_ptr_array_index (self->status_checks, i), TRUE);
}

/* The checked statuses as the filter's class, or as a set of keys. */
static void
read_statuses (CrmLeadFilterBar *self)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_auto(GStrv) checked = NULL;
  guint n_checked = 0;
  gboolean exact[N_STATUS_CLASSES];
  const char *label = NULL;

  if (self->status_checks->len == 0)
    return;

  for (guint c = 0; c < N_STATUS_CLASSES; c++)
    exact[c] = TRUE;

  for (guint i = 0; i < self->status_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->status_checks, i);
      int kv_class = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "crm-class"));
      gboolean in = gtk_check_button_get_active (check);

      for (guint c = 0; c < N_STATUS_CLASSES; c++)
        if (in != class_matches (status_classes[c], kv_class))
          exact[c] = FALSE;
      if (in)
        {
          g_strv_builder_add (keys, g_object_get_data (G_OBJECT (check), "crm-key"));
          label = gtk_check_button_get_label (check);
          n_checked++;
        }
    }
  checked = g_strv_builder_end (keys);

  crm_lead_filter_set_string (&self->filter->status, NULL);
  crm_lead_filter_set_statuses (self->filter, NULL);
  self->filter->status_class = CRM_STATUS_FILTER_ANY;

  for (guint c = 0; c < N_STATUS_CLASSES; c++)
    if (exact[c])
      {
        self->filter->status_class = status_classes[c];
        gtk_menu_button_set_label (self->status_button, g_dgettext (GETTEXT_PACKAGE, status_class_labels[c]));
        return;
      }

  crm_lead_filter_set_statuses (self->filter, (const char * const *) checked);
  if (n_checked == 1)
    gtk_menu_button_set_label (self->status_button, label);
  else
    {
      g_autofree char *text = NULL;

      /* TRANSLATORS: the status filter's button when several statuses are chosen */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u status", "%u statuses", n_checked), n_checked);
      gtk_menu_button_set_label (self->status_button, text);
    }
}

static void
on_status_toggled_cb (GtkCheckButton   *check,
                      CrmLeadFilterBar *self)
{
  gboolean any = FALSE;

  if (self->updating)
    return;

  /* at least one status: unchecking the last one is undone */
  for (guint i = 0; i < self->status_checks->len; i++)
    any |= gtk_check_button_get_active (g_ptr_array_index (self->status_checks, i));
  if (!any)
    {
      self->updating = TRUE;
      gtk_check_button_set_active (check, TRUE);
      self->updating = FALSE;
      return;
    }

  read_filters (self);
}

static void
on_class_clicked_cb (GtkButton        *button,
                     CrmLeadFilterBar *self)
{
  g_autoptr(CrmLeadFilter) wanted = crm_lead_filter_new ();

  wanted->status_class = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "crm-class"));
  self->updating = TRUE;
  check_statuses_of (self, wanted);
  self->updating = FALSE;
  read_filters (self);
}

/* One check button per status, keeping what was checked. */
static void
fill_statuses (CrmLeadFilterBar *self)
{
  g_autoptr(GListModel) values = crm_store_list_key_values (self->store, "status", TRUE);
  g_autoptr(CrmLeadFilter) current = crm_lead_filter_copy (self->filter);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->status_box))) != NULL)
    gtk_box_remove (self->status_box, child);
  g_ptr_array_set_size (self->status_checks, 0);

  for (guint i = 0; i < g_list_model_get_n_items (values); i++)
    {
      g_autoptr(CrmKeyValue) kv = g_list_model_get_item (values, i);
      GtkWidget *check = gtk_check_button_new_with_label (crm_key_value_get_label (kv));

      g_object_set_data_full (G_OBJECT (check), "crm-key", g_strdup (crm_key_value_get_key (kv)), g_free);
      g_object_set_data (G_OBJECT (check), "crm-class", GINT_TO_POINTER (crm_key_value_get_status_class (kv)));
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_status_toggled_cb), self, 0);
      gtk_box_append (self->status_box, check);
      g_ptr_array_add (self->status_checks, check);
    }

  self->updating = TRUE;
  check_statuses_of (self, current);
  read_statuses (self);
  self->updating = FALSE;
}

static void
fill_filters (CrmLeadFilterBar *self)
{
  g_auto(GStrv) owners = crm_store_list_owners (self->store);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  const char *all_owners = _("All owners");

  fill_statuses (self);
  fill_key_dropdown (self, self->phase_dropdown, FILTER_PHASE, "phase", _("All phases"));
  fill_key_dropdown (self, self->unit_dropdown, FILTER_UNIT, "unit", _("All sales units"));
  fill_key_dropdown (self, self->type_dropdown, FILTER_TYPE, "type", _("All types"));

  for (guint i = 0; owners[i] != NULL; i++)
    {
      g_ptr_array_add (keys, g_strdup (owners[i]));
      g_ptr_array_add (labels, g_strdup (owners[i]));
    }
  set_dropdown_items (self, self->owner_dropdown, FILTER_OWNER, &all_owners, 1, keys, labels);
}

static const char *
dropdown_key (CrmLeadFilterBar *self,
              GtkDropDown      *dropdown,
              guint             which)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  guint n_first = 1;

  if (selected == GTK_INVALID_LIST_POSITION || selected < n_first ||
      self->filter_keys[which] == NULL || selected - n_first >= self->filter_keys[which]->len)
    return NULL;

  return g_ptr_array_index (self->filter_keys[which], selected - n_first);
}

/* Selects @key's item, adding it when the store does not list it (an
 * owner not yet used by any lead, a key from elsewhere). */
static void
select_key (CrmLeadFilterBar *self,
            GtkDropDown      *dropdown,
            guint             which,
            const char       *key)
{
  GPtrArray *keys = self->filter_keys[which];
  guint n_first = 1;

  if (key == NULL || *key == '\0')
    {
      gtk_drop_down_set_selected (dropdown, 0);
      return;
    }

  for (guint i = 0; keys != NULL && i < keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (keys, i), key) == 0)
      {
        gtk_drop_down_set_selected (dropdown, i + n_first);
        return;
      }

  if (keys != NULL)
    {
      gtk_string_list_append (GTK_STRING_LIST (gtk_drop_down_get_model (dropdown)), key);
      g_ptr_array_add (keys, g_strdup (key));
      gtk_drop_down_set_selected (dropdown, keys->len - 1 + n_first);
    }
}

static gboolean
parse_month_entry (GtkEntry *entry,
                   CrmMonth *out_month)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GError) error = NULL;

  *out_month = CRM_MONTH_NONE;
  if (*text == '\0' || crm_month_parse (text, out_month, &error))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), NULL);
      return TRUE;
    }

  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), error->message);
  return FALSE;
}

static void
update_filter_button (CrmLeadFilterBar *self)
{
  gboolean active = self->filter->phase || self->filter->owner || self->filter->unit ||
                    self->filter->lead_type || self->filter->close_from || self->filter->close_to ||
                    self->filter->no_close_month;

  if (active)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
}

/* Reads the widgets into the filter and says so. */
static void
read_filters (CrmLeadFilterBar *self)
{
  gboolean no_month = gtk_check_button_get_active (self->no_month_check);
  CrmMonth from, to;

  if (self->updating)
    return;

  crm_lead_filter_set_string (&self->filter->search, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  read_statuses (self);
  crm_lead_filter_set_string (&self->filter->phase,
                              self->show_phase ? dropdown_key (self, self->phase_dropdown, FILTER_PHASE) : NULL);
  crm_lead_filter_set_string (&self->filter->owner, dropdown_key (self, self->owner_dropdown, FILTER_OWNER));
  crm_lead_filter_set_string (&self->filter->unit, dropdown_key (self, self->unit_dropdown, FILTER_UNIT));
  crm_lead_filter_set_string (&self->filter->lead_type, dropdown_key (self, self->type_dropdown, FILTER_TYPE));
  if (parse_month_entry (self->from_entry, &from))
    self->filter->close_from = from;
  if (parse_month_entry (self->to_entry, &to))
    {
      /* a range that ends before it begins is marked, not applied */
      if (to != CRM_MONTH_NONE && self->filter->close_from != CRM_MONTH_NONE && to < self->filter->close_from)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->to_entry), _("The range ends before it begins"));
          to = CRM_MONTH_NONE;
        }
      self->filter->close_to = to;
    }
  self->filter->no_close_month = no_month;
  if (no_month)
    {
      self->filter->close_from = CRM_MONTH_NONE;
      self->filter->close_to = CRM_MONTH_NONE;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_entry), !no_month);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_entry), !no_month);

  update_filter_button (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
set_month_entry (GtkEntry *entry,
                 CrmMonth  month)
{
  g_autofree char *text = month != CRM_MONTH_NONE ? crm_month_to_iso (month) : NULL;

  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
}

/* -------------------------------------------------------------- callbacks */

static void
on_filter_changed_cb (CrmLeadFilterBar *self)
{
  read_filters (self);
}

static void
on_stop_search_cb (CrmLeadFilterBar *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_clear_clicked_cb (CrmLeadFilterBar *self)
{
  crm_lead_filter_bar_clear (self);
}

static void
on_key_values_changed_cb (CrmLeadFilterBar *self)
{
  fill_filters (self);
}

/* -------------------------------------------------------------- overrides */

static void
crm_lead_filter_bar_dispose (GObject *object)
{
  CrmLeadFilterBar *self = CRM_LEAD_FILTER_BAR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_LEAD_FILTER_BAR);
  g_clear_object (&self->store);
  for (guint i = 0; i < N_FILTERS; i++)
    g_clear_pointer (&self->filter_keys[i], g_ptr_array_unref);
  g_clear_pointer (&self->status_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_lead_filter_bar_parent_class)->dispose (object);
}

static void
crm_lead_filter_bar_finalize (GObject *object)
{
  CrmLeadFilterBar *self = CRM_LEAD_FILTER_BAR (object);

  crm_lead_filter_free (self->filter);

  G_OBJECT_CLASS (crm_lead_filter_bar_parent_class)->finalize (object);
}

static void
crm_lead_filter_bar_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CrmLeadFilterBar *self = CRM_LEAD_FILTER_BAR (object);

  switch (prop_id)
    {
    case PROP_SHOW_PHASE:
      g_value_set_boolean (value, self->show_phase);
      break;
    case PROP_PLACEHOLDER_TEXT:
      g_object_get_property (G_OBJECT (self->search_entry), "placeholder-text", value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_lead_filter_bar_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CrmLeadFilterBar *self = CRM_LEAD_FILTER_BAR (object);

  switch (prop_id)
    {
    case PROP_SHOW_PHASE:
      if (self->show_phase != g_value_get_boolean (value))
        {
          self->show_phase = g_value_get_boolean (value);
          gtk_widget_set_visible (GTK_WIDGET (self->phase_label), self->show_phase);
          gtk_widget_set_visible (GTK_WIDGET (self->phase_dropdown), self->show_phase);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PLACEHOLDER_TEXT:
      {
        g_autofree char *old = NULL;

        /* GTK 4.8 has the property but not yet its accessors */
        g_object_get (self->search_entry, "placeholder-text", &old, NULL);
        if (g_strcmp0 (g_value_get_string (value), old) != 0)
          {
            g_object_set_property (G_OBJECT (self->search_entry), "placeholder-text", value);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_lead_filter_bar_class_init (CrmLeadFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_lead_filter_bar_dispose;
  object_class->finalize = crm_lead_filter_bar_finalize;
  object_class->get_property = crm_lead_filter_bar_get_property;
  object_class->set_property = crm_lead_filter_bar_set_property;

  properties[PROP_SHOW_PHASE] =
    g_param_spec_boolean ("show-phase", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLACEHOLDER_TEXT] =
    g_param_spec_string ("placeholder-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmLeadFilterBar::changed:
   *
   * The user changed the filter (or crm_lead_filter_bar_set_filter() did).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-lead-filter-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, status_button);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, class_box);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, status_box);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, phase_label);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, phase_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, unit_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, from_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, to_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmLeadFilterBar, no_month_check);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked_cb);
}

static void
crm_lead_filter_bar_init (CrmLeadFilterBar *self)
{
  self->filter = crm_lead_filter_new ();
  self->filter->status_class = CRM_STATUS_FILTER_OPEN;
  self->show_phase = TRUE;
  self->status_checks = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_menu_button_set_label (self->status_button, g_dgettext (GETTEXT_PACKAGE, status_class_labels[0]));
  for (guint i = 0; i < N_STATUS_CLASSES; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (g_dgettext (GETTEXT_PACKAGE, status_class_labels[i]));

      g_object_set_data (G_OBJECT (button), "crm-class", GINT_TO_POINTER (status_classes[i]));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_class_clicked_cb), self, 0);
      gtk_box_append (self->class_box, button);
    }
}

/* ----------------------------------------------------------------- public */

void
crm_lead_filter_bar_set_store (CrmLeadFilterBar *self,
                               CrmStore         *store)
{
  g_return_if_fail (CRM_IS_LEAD_FILTER_BAR (self));
  g_return_if_fail (CRM_IS_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  fill_filters (self);

  g_signal_connect_object (store, "key-values-changed",
                           G_CALLBACK (on_key_values_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "leads-changed",
                           G_CALLBACK (on_key_values_changed_cb), self, G_CONNECT_SWAPPED);
}

/* The filter as shown; its sort fields are unused (zero). */
const CrmLeadFilter *
crm_lead_filter_bar_get_filter (CrmLeadFilterBar *self)
{
  g_return_val_if_fail (CRM_IS_LEAD_FILTER_BAR (self), NULL);

  return self->filter;
}

/* Shows @filter (its sort and contact aside) and emits "changed" once. */
void
crm_lead_filter_bar_set_filter (CrmLeadFilterBar    *self,
                                const CrmLeadFilter *filter)
{
  g_return_if_fail (CRM_IS_LEAD_FILTER_BAR (self));
  g_return_if_fail (filter != NULL);

  /* kept as given until the statuses are known (no store yet) */
  self->filter->status_class = filter->status_class;
  crm_lead_filter_set_string (&self->filter->status, filter->status);
  crm_lead_filter_set_statuses (self->filter, (const char * const *) filter->statuses);

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), filter->search ? filter->search : "");
  check_statuses_of (self, filter);
  select_key (self, self->phase_dropdown, FILTER_PHASE, filter->phase);
  select_key (self, self->owner_dropdown, FILTER_OWNER, filter->owner);
  select_key (self, self->unit_dropdown, FILTER_UNIT, filter->unit);
  select_key (self, self->type_dropdown, FILTER_TYPE, filter->lead_type);
  set_month_entry (self->from_entry, filter->close_from);
  set_month_entry (self->to_entry, filter->close_to);
  gtk_check_button_set_active (self->no_month_check, filter->no_close_month);
  self->updating = FALSE;

  read_filters (self);
}

/* Every lead: all statuses, no search, no other filter. */
void
crm_lead_filter_bar_clear (CrmLeadFilterBar *self)
{
  g_autoptr(CrmLeadFilter) all = crm_lead_filter_new ();

  g_return_if_fail (CRM_IS_LEAD_FILTER_BAR (self));

  all->status_class = CRM_STATUS_FILTER_ANY;
  crm_lead_filter_bar_set_filter (self, all);
}

void
crm_lead_filter_bar_set_search (CrmLeadFilterBar *self,
                                const char       *text)
{
  g_return_if_fail (CRM_IS_LEAD_FILTER_BAR (self));

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  self->updating = FALSE;
  read_filters (self);
}

void
crm_lead_filter_bar_focus_search (CrmLeadFilterBar *self)
{
  g_return_if_fail (CRM_IS_LEAD_FILTER_BAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
append_part (GString    *text,
             const char *part)
{
  if (text->len > 0)
    g_string_append (text, " · ");
  g_string_append (text, part);
}

static void
append_choice (GString     *text,
               const char  *name,
               GtkDropDown *dropdown)
{
  GObject *item = gtk_drop_down_get_selected_item (dropdown);
  g_autofree char *part = NULL;

  if (item == NULL || gtk_drop_down_get_selected (dropdown) == 0)
    return;
  /* TRANSLATORS: one filter in a summary, "Owner: Anna" */
  part = g_strdup_printf (_("%s: %s"), name, gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
  append_part (text, part);
}

/* The filters in words, for a printed report: "Open · Owner: Anna · …". */
char *
crm_lead_filter_bar_dup_summary (CrmLeadFilterBar *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (CRM_IS_LEAD_FILTER_BAR (self), NULL);

  append_part (text, gtk_menu_button_get_label (self->status_button));
  if (self->show_phase)
    append_choice (text, _("Phase"), self->phase_dropdown);
  append_choice (text, _("Owner"), self->owner_dropdown);
  append_choice (text, _("Sales unit"), self->unit_dropdown);
  append_choice (text, _("Type"), self->type_dropdown);
  if (self->filter->close_from != CRM_MONTH_NONE || self->filter->close_to != CRM_MONTH_NONE)
    {
      g_autofree char *from = crm_month_format (self->filter->close_from);
      g_autofree char *to = crm_month_format (self->filter->close_to);
      g_autofree char *part = NULL;

      /* TRANSLATORS: the close-month range in a summary, "Closing March 2027 – December 2027" */
      part = g_strdup_printf (_("Closing %s – %s"), from ? from : "", to ? to : "");
      append_part (text, part);
    }
  if (self->filter->no_close_month)
    append_part (text, _("No close month"));
  if (self->filter->search != NULL)
    {
      g_autofree char *part = NULL;

      /* TRANSLATORS: the search text in a summary */
      part = g_strdup_printf (_("Search “%s”"), self->filter->search);
      append_part (text, part);
    }

  return g_string_free (text, FALSE);
}
