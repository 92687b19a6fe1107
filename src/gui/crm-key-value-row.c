/* crm-key-value-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One value of a customizable list (a phase, a status, a type, …) in the
 * preferences: its label edited in place (applied with Enter or the apply
 * button), a default probability for phases, move up / move down, an
 * "active" switch and a delete button that is only enabled while nothing
 * uses the value. The title above the label says how the value is used.
 *
 * The row writes straight to the store. The store announces every change
 * with "key-values-changed" and the preferences window then hands the row
 * the reloaded value; when the store refuses a change the row reverts its
 * controls to the value it shows and emits CrmKeyValueRow::error.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "crm-key-value-row.h"

/* ---------------------------------------------------------------- structs */

struct _CrmKeyValueRow
{
  AdwEntryRow      parent_instance;

  CrmStore        *store;
  CrmKeyValue     *key_value;
  guint            position;
  guint            n_items;

  GtkAdjustment   *probability_adjustment;
  GtkSpinButton   *probability_spin;
  GtkSpinButton   *medium_probability_spin;
  GtkSpinButton   *narrow_probability_spin;
  GtkWidget       *narrow_probability_box;
  GMenuModel      *phase_menu;
  GtkPopoverMenu  *menu_popover;
  GtkMenuButton   *medium_menu_button;
  GtkButton       *move_up_button;
  GtkButton       *move_down_button;
  GtkSwitch       *active_switch;
  GtkButton       *delete_button;
  GtkMenuButton   *menu_button;
};

/* ------------------------------------------------------------- prototypes */

static void on_probability_adjustment_value_changed_cb (CrmKeyValueRow *self);
static void on_active_switch_notify_active_cb    (CrmKeyValueRow *self);

/* ------------------------------------------------------------ G_DEFINE_* */

G_DEFINE_FINAL_TYPE (CrmKeyValueRow, crm_key_value_row, ADW_TYPE_ENTRY_ROW)

/* ----------------------------------------------------- enums and statics */

enum {
  PROP_0,
  PROP_STORE,
  PROP_KEY_VALUE,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  SIGNAL_DELETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------ auxiliary methods */

static gboolean
is_kind (CrmKeyValueRow *self,
         const char     *kind)
{
  return self->key_value != NULL &&
         g_strcmp0 (crm_key_value_get_kind (self->key_value), kind) == 0;
}

static gboolean
widget_contains (GtkWidget *widget,
                 GtkWidget *focus)
{
  return focus == widget || gtk_widget_is_ancestor (focus, widget);
}

/* Sets the label without making AdwEntryRow believe the user edited it
 * (which would show its apply button again). */
static void
set_label_quietly (CrmKeyValueRow *self,
                   const char     *label)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self)), label) == 0)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self), label);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self), FALSE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self), TRUE);
}

static char *
usage_text (const char *kind,
            gint64      n_uses)
{
  if (n_uses <= 0)
    return g_strdup (_("Not used"));

  if (g_strcmp0 (kind, "activity_kind") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Used by %lld contact report",
                                         "Used by %lld contact reports",
                                         n_uses),
                            (long long) n_uses);

  if (g_strcmp0 (kind, "phase") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Used by %lld lead or report",
                                         "Used by %lld leads or reports",
                                         n_uses),
                            (long long) n_uses);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Used by %lld lead",
                                       "Used by %lld leads",
                                       n_uses),
                          (long long) n_uses);
}

static const char *
status_class_text (int status_class)
{
  switch (status_class)
    {
    case CRM_STATUS_CLASS_WON:
      return _("Counts as won");
    case CRM_STATUS_CLASS_LOST:
      return _("Counts as lost");
    case CRM_STATUS_CLASS_OPEN:
    default:
      return _("Counts as open");
    }
}

static void
set_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
update_actions (CrmKeyValueRow *self)
{
  gboolean unused = self->key_value != NULL && crm_key_value_get_n_uses (self->key_value) == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "key-value.move-up",
                                 self->key_value != NULL && self->position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "key-value.move-down",
                                 self->key_value != NULL && self->position + 1 < self->n_items);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "key-value.delete", unused);
}

/* Shows the value as the store has it: also reverts whatever the user
 * changed and the store refused. */
static void
update_from_key_value (CrmKeyValueRow *self)
{
  g_autoptr(GString) caption = g_string_new (NULL);
  g_autofree char *usage = NULL;
  g_autofree char *a11y = NULL;
  const char *label;
  const char *kind;
  gint64 n_uses;
  gboolean active;

  if (self->key_value == NULL)
    return;

  label = crm_key_value_get_label (self->key_value);
  kind = crm_key_value_get_kind (self->key_value);
  n_uses = crm_key_value_get_n_uses (self->key_value);
  active = crm_key_value_get_active (self->key_value);

  set_label_quietly (self, label);

  gtk_widget_set_visible (GTK_WIDGET (self->probability_spin), is_kind (self, "phase"));
  gtk_widget_set_visible (GTK_WIDGET (self->medium_probability_spin), is_kind (self, "phase"));
  if (is_kind (self, "phase"))
    {
      GtkSpinButton *spins[] = { self->probability_spin, self->medium_probability_spin, self->narrow_probability_spin };

      /* the narrow row's menu shows the probability too */
      if (gtk_popover_menu_get_menu_model (self->menu_popover) != self->phase_menu)
        {
          gtk_popover_menu_set_menu_model (self->menu_popover, self->phase_menu);
          gtk_popover_menu_add_child (self->menu_popover, self->narrow_probability_box, "probability");
        }

      g_signal_handlers_block_by_func (self->probability_adjustment, on_probability_adjustment_value_changed_cb, self);
      gtk_adjustment_set_value (self->probability_adjustment,
                                MAX (0, crm_key_value_get_probability (self->key_value)));
      g_signal_handlers_unblock_by_func (self->probability_adjustment, on_probability_adjustment_value_changed_cb, self);

      /* TRANSLATORS: accessible name of a phase's probability, %s is the phase */
      a11y = g_strdup_printf (_("Default probability of “%s”"), label);
      for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
        set_accessible_label (GTK_WIDGET (spins[i]), a11y);
      g_clear_pointer (&a11y, g_free);
    }

  g_signal_handlers_block_by_func (self->active_switch, on_active_switch_notify_active_cb, self);
  gtk_switch_set_active (self->active_switch, active);
  gtk_switch_set_state (self->active_switch, active);
  g_signal_handlers_unblock_by_func (self->active_switch, on_active_switch_notify_active_cb, self);

  if (active)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "dim-label");

  /* The row's title, shown small above the label: what the value means. */
  usage = usage_text (kind, n_uses);
  if (!active)
    g_string_append (caption, _("Inactive"));
  if (is_kind (self, "status"))
    {
      if (caption->len > 0)
        g_string_append (caption, " · ");
      g_string_append (caption, status_class_text (crm_key_value_get_status_class (self->key_value)));
    }
  if (caption->len > 0)
    g_string_append (caption, " · ");
  g_string_append (caption, usage);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), caption->str);

  /* TRANSLATORS: %s is a key value's label */
  a11y = g_strdup_printf (_("Move “%s” up"), label);
  set_accessible_label (GTK_WIDGET (self->move_up_button), a11y);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->move_up_button), _("Move up"));
  g_clear_pointer (&a11y, g_free);

  /* TRANSLATORS: %s is a key value's label */
  a11y = g_strdup_printf (_("Move “%s” down"), label);
  set_accessible_label (GTK_WIDGET (self->move_down_button), a11y);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->move_down_button), _("Move down"));
  g_clear_pointer (&a11y, g_free);

  /* TRANSLATORS: accessible name of the switch, %s is a key value's label */
  a11y = g_strdup_printf (_("“%s” is active"), label);
  set_accessible_label (GTK_WIDGET (self->active_switch), a11y);
  g_clear_pointer (&a11y, g_free);

  /* TRANSLATORS: accessible name of a row's menu, %s is a key value's label */
  a11y = g_strdup_printf (_("More for “%s”"), label);
  set_accessible_label (GTK_WIDGET (self->menu_button), a11y);
  set_accessible_label (GTK_WIDGET (self->medium_menu_button), a11y);
  g_clear_pointer (&a11y, g_free);

  /* TRANSLATORS: %s is a key value's label */
  a11y = g_strdup_printf (_("Delete “%s”"), label);
  set_accessible_label (GTK_WIDGET (self->delete_button), a11y);
  g_clear_pointer (&a11y, g_free);
  if (n_uses > 0)
    {
      /* TRANSLATORS: tooltip of a disabled delete button; %s is "Used by 3 leads" */
      g_autofree char *tooltip = g_strdup_printf (_("%s — deactivate it instead"), usage);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->delete_button), tooltip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->delete_button), _("Delete"));

  update_actions (self);
}

/* Reverts the row and tells the window, which shows the message. */
static void
fail (CrmKeyValueRow *self,
      const GError   *error)
{
  g_assert (error != NULL);

  update_from_key_value (self);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

static void
move_by (CrmKeyValueRow *self,
         int             delta)
{
  g_autoptr(GError) error = NULL;

  if (self->key_value == NULL)
    return;

  if (!crm_store_move_key_value (self->store, crm_key_value_get_id (self->key_value),
                                 (int) self->position + delta, &error))
    fail (self, error);
}

/* ---------------------------------------------------------------- actions */

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  move_by (CRM_KEY_VALUE_ROW (widget), -1);
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  move_by (CRM_KEY_VALUE_ROW (widget), 1);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmKeyValueRow *self = CRM_KEY_VALUE_ROW (widget);
  g_autoptr(CrmKeyValue) deleted = NULL;
  g_autoptr(GError) error = NULL;
  guint position = self->position;

  if (self->key_value == NULL)
    return;

  deleted = g_object_ref (self->key_value);
  if (!crm_store_delete_key_value (self->store, crm_key_value_get_id (deleted), &error))
    fail (self, error);
  else
    g_signal_emit (self, signals[SIGNAL_DELETED], 0, deleted, position);
}

/* -------------------------------------------------------------- callbacks */

static void
on_row_apply_cb (CrmKeyValueRow *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self));

  if (self->key_value == NULL)
    return;

  if (g_strcmp0 (text, crm_key_value_get_label (self->key_value)) == 0)
    return;

  if (!crm_store_rename_key_value (self->store, crm_key_value_get_id (self->key_value), text, &error))
    fail (self, error);
}

static void
on_probability_adjustment_value_changed_cb (CrmKeyValueRow *self)
{
  g_autoptr(GError) error = NULL;
  int probability = (int) (gtk_adjustment_get_value (self->probability_adjustment) + 0.5);

  if (self->key_value == NULL || probability == crm_key_value_get_probability (self->key_value))
    return;

  if (!crm_store_set_key_value_probability (self->store, crm_key_value_get_id (self->key_value),
                                            probability, &error))
    fail (self, error);
}

static void
on_active_switch_notify_active_cb (CrmKeyValueRow *self)
{
  g_autoptr(GError) error = NULL;
  gboolean active = gtk_switch_get_active (self->active_switch);

  if (self->key_value == NULL || active == crm_key_value_get_active (self->key_value))
    return;

  if (!crm_store_set_key_value_active (self->store, crm_key_value_get_id (self->key_value),
                                       active, &error))
    fail (self, error);
}

static gboolean
on_probability_spin_output_cb (GtkSpinButton *spin)
{
  /* TRANSLATORS: a probability in percent; "50 %" in German */
  g_autofree char *text = g_strdup_printf (_("%d%%"), gtk_spin_button_get_value_as_int (spin));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);

  return TRUE;
}

static int
on_probability_spin_input_cb (GtkSpinButton *spin,
                              double        *new_value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  long value;

  while (g_ascii_isspace (*text))
    text++;
  value = strtol (text, &end, 10);
  if (end == text)
    return GTK_INPUT_ERROR;
  /* a trailing percent sign, with any kind of space before it */
  while (*end != '\0' && (g_ascii_isspace (*end) || *end == '%' || (guchar) *end >= 0x80))
    end++;
  if (*end != '\0')
    return GTK_INPUT_ERROR;

  *new_value = CLAMP (value, 0, 100);
  return TRUE;
}

/* Scrolling the page over a spin button must not change its value: only
 * a focused spin button takes the wheel, otherwise the page scrolls. */
static gboolean
on_probability_spin_scroll_cb (GtkEventControllerScroll *controller,
                               double                    dx,
                               double                    dy,
                               gpointer                  user_data)
{
  GtkWidget *spin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *scrolled;
  GtkAdjustment *adjustment;
  double step = 1;

  if (gtk_widget_get_state_flags (spin) & GTK_STATE_FLAG_FOCUS_WITHIN)
    return GDK_EVENT_PROPAGATE;

  scrolled = gtk_widget_get_ancestor (spin, GTK_TYPE_SCROLLED_WINDOW);
  if (scrolled == NULL)
    return GDK_EVENT_STOP;

  /* as GtkScrolledWindow steps for a mouse wheel */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    step = pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + dy * step);

  return GDK_EVENT_STOP;
}

/* -------------------------------------------------------------- overrides */

static void
crm_key_value_row_dispose (GObject *object)
{
  CrmKeyValueRow *self = (CrmKeyValueRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_KEY_VALUE_ROW);

  g_clear_object (&self->key_value);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_key_value_row_parent_class)->dispose (object);
}

static void
crm_key_value_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmKeyValueRow *self = CRM_KEY_VALUE_ROW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_KEY_VALUE:
      g_value_set_object (value, self->key_value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_key_value_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmKeyValueRow *self = CRM_KEY_VALUE_ROW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_KEY_VALUE:
      crm_key_value_row_set_key_value (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* ------------------------------------------------------ class/instance init */

static void
crm_key_value_row_class_init (CrmKeyValueRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_key_value_row_dispose;
  object_class->get_property = crm_key_value_row_get_property;
  object_class->set_property = crm_key_value_row_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_KEY_VALUE] =
    g_param_spec_object ("key-value", NULL, NULL,
                         CRM_TYPE_KEY_VALUE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmKeyValueRow::error:
   * @error: what the store refused, with a message for the user
   *
   * The store refused a change; the row shows the stored value again.
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * CrmKeyValueRow::deleted:
   * @key_value: the value as it was
   * @position: where it was in its list
   *
   * The value was deleted from the store (to offer undoing it).
   */
  signals[SIGNAL_DELETED] =
    g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  CRM_TYPE_KEY_VALUE, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "key-value.move-up", NULL, move_up_action);
  gtk_widget_class_install_action (widget_class, "key-value.move-down", NULL, move_down_action);
  gtk_widget_class_install_action (widget_class, "key-value.delete", NULL, delete_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-key-value-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, probability_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, probability_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, medium_probability_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, narrow_probability_spin);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, narrow_probability_box);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, phase_menu);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, menu_popover);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, medium_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, move_up_button);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, move_down_button);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, active_switch);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, delete_button);
  gtk_widget_class_bind_template_child (widget_class, CrmKeyValueRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, on_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_probability_adjustment_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_active_switch_notify_active_cb);
}

static void
crm_key_value_row_init (CrmKeyValueRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  crm_key_value_row_init_probability_spin (self->probability_spin);
  crm_key_value_row_init_probability_spin (self->medium_probability_spin);
  crm_key_value_row_init_probability_spin (self->narrow_probability_spin);
  update_actions (self);
}

/* ----------------------------------------------------------------- public */

GtkWidget *
crm_key_value_row_new (CrmStore    *store,
                       CrmKeyValue *key_value)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (CRM_IS_KEY_VALUE (key_value), NULL);

  return g_object_new (CRM_TYPE_KEY_VALUE_ROW,
                       "store", store,
                       "key-value", key_value,
                       NULL);
}

CrmKeyValue *
crm_key_value_row_get_key_value (CrmKeyValueRow *self)
{
  g_return_val_if_fail (CRM_IS_KEY_VALUE_ROW (self), NULL);

  return self->key_value;
}

/* Also called with the same object after it changed (the store reloads
 * its values on every change, but n-uses is updated in place): the row is
 * always refreshed. */
void
crm_key_value_row_set_key_value (CrmKeyValueRow *self,
                                 CrmKeyValue    *key_value)
{
  g_return_if_fail (CRM_IS_KEY_VALUE_ROW (self));
  g_return_if_fail (key_value == NULL || CRM_IS_KEY_VALUE (key_value));

  if (g_set_object (&self->key_value, key_value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_VALUE]);

  update_from_key_value (self);
}

/* Where the row stands in its list (inactive values included), for
 * moving it up and down. */
void
crm_key_value_row_set_position (CrmKeyValueRow *self,
                                guint           position,
                                guint           n_items)
{
  g_return_if_fail (CRM_IS_KEY_VALUE_ROW (self));

  self->position = position;
  self->n_items = n_items;
  update_actions (self);
}

CrmKeyValueRowPart
crm_key_value_row_get_focus_part (CrmKeyValueRow *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_val_if_fail (CRM_IS_KEY_VALUE_ROW (self), CRM_KEY_VALUE_ROW_PART_NONE);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus == NULL || !widget_contains (GTK_WIDGET (self), focus))
    return CRM_KEY_VALUE_ROW_PART_NONE;

  if (widget_contains (GTK_WIDGET (self->probability_spin), focus) ||
      widget_contains (GTK_WIDGET (self->medium_probability_spin), focus))
    return CRM_KEY_VALUE_ROW_PART_PROBABILITY;
  if (widget_contains (GTK_WIDGET (self->move_up_button), focus))
    return CRM_KEY_VALUE_ROW_PART_MOVE_UP;
  if (widget_contains (GTK_WIDGET (self->move_down_button), focus))
    return CRM_KEY_VALUE_ROW_PART_MOVE_DOWN;
  if (widget_contains (GTK_WIDGET (self->active_switch), focus))
    return CRM_KEY_VALUE_ROW_PART_ACTIVE;
  if (widget_contains (GTK_WIDGET (self->delete_button), focus))
    return CRM_KEY_VALUE_ROW_PART_DELETE;
  if (widget_contains (GTK_WIDGET (self->menu_button), focus) ||
      widget_contains (GTK_WIDGET (self->medium_menu_button), focus))
    return CRM_KEY_VALUE_ROW_PART_MENU;

  return CRM_KEY_VALUE_ROW_PART_LABEL;
}

/* Focuses @part, or the nearest control that can take the focus: a move
 * button at the end of the list is disabled (then the other one); in a
 * narrower row the buttons are in a menu. */
void
crm_key_value_row_focus_part (CrmKeyValueRow     *self,
                              CrmKeyValueRowPart  part)
{
  GtkWidget *candidates[4] = { NULL, };
  GtkWidget *up, *down, *delete, *medium_menu, *menu;

  g_return_if_fail (CRM_IS_KEY_VALUE_ROW (self));

  up = GTK_WIDGET (self->move_up_button);
  down = GTK_WIDGET (self->move_down_button);
  delete = GTK_WIDGET (self->delete_button);
  medium_menu = GTK_WIDGET (self->medium_menu_button);
  menu = GTK_WIDGET (self->menu_button);

  switch (part)
    {
    case CRM_KEY_VALUE_ROW_PART_PROBABILITY:
      candidates[0] = GTK_WIDGET (self->probability_spin);
      candidates[1] = GTK_WIDGET (self->medium_probability_spin);
      candidates[2] = menu;
      break;
    case CRM_KEY_VALUE_ROW_PART_MOVE_UP:
      candidates[0] = up;
      candidates[1] = down;
      candidates[2] = medium_menu;
      candidates[3] = menu;
      break;
    case CRM_KEY_VALUE_ROW_PART_MOVE_DOWN:
      candidates[0] = down;
      candidates[1] = up;
      candidates[2] = medium_menu;
      candidates[3] = menu;
      break;
    case CRM_KEY_VALUE_ROW_PART_DELETE:
      candidates[0] = delete;
      candidates[1] = medium_menu;
      candidates[2] = menu;
      candidates[3] = GTK_WIDGET (self->active_switch);
      break;
    case CRM_KEY_VALUE_ROW_PART_MENU:
      candidates[0] = medium_menu;
      candidates[1] = menu;
      candidates[2] = up;
      candidates[3] = down;
      break;
    case CRM_KEY_VALUE_ROW_PART_ACTIVE:
      candidates[0] = GTK_WIDGET (self->active_switch);
      break;
    case CRM_KEY_VALUE_ROW_PART_NONE:
    case CRM_KEY_VALUE_ROW_PART_LABEL:
    default:
      break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != NULL &&
        gtk_widget_get_mapped (candidates[i]) &&
        gtk_widget_is_sensitive (candidates[i]) &&
        gtk_widget_grab_focus (candidates[i]))
      return;

  gtk_widget_grab_focus (GTK_WIDGET (self));
}

void
crm_key_value_row_init_probability_spin (GtkSpinButton *spin)
{
  GtkEventController *scroll;

  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));

  gtk_spin_button_set_digits (spin, 0);
  gtk_spin_button_set_numeric (spin, FALSE);  /* it shows "50 %" */
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 4);
  g_signal_connect (spin, "output", G_CALLBACK (on_probability_spin_output_cb), NULL);
  g_signal_connect (spin, "input", G_CALLBACK (on_probability_spin_input_cb), NULL);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_probability_spin_scroll_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (spin), scroll);

  on_probability_spin_output_cb (spin);
}
