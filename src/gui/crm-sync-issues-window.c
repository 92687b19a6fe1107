/* crm-sync-issues-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sync Issues: the open conflicts and rejections of the store
 * (crm_store_sync_list_conflicts()), newest first, one boxed row each:
 * the lead and the field; for a conflict the value before (base), theirs
 * (the one that stayed on the server, with who and how long ago) and
 * yours; for a deleted lead who
 * deleted it; for a rejection the server's reason in words. Each row
 * resolves in one click through the window's actions, which all go
 * through crm_store_sync_resolve_conflict() and so are queued and synced
 * like any edit:
 *   issues.keep-theirs (uuid)  the kept value stays
 *   issues.take-mine (uuid)    your value is sent again, as a new edit
 *   issues.edit (uuid)         the kept value stays and the lead opens in
 *                              the main window, to change it there
 * The list is rebuilt whenever the store says leads changed (a pulled
 * page, a resolution). With nothing open: "No Sync Issues".
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-lead.h"
#include "crm-store-sync.h"
#include "crm-sync-conflict.h"
#include "crm-sync-issues-window.h"
#include "crm-sync-ui.h"
#include "crm-window.h"

struct _CrmSyncIssuesWindow
{
  AdwWindow        parent_instance;

  CrmStore        *store;
  guint            count;
  guint            refresh_source;

  /* template */
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *list_box;
};

G_DEFINE_FINAL_TYPE (CrmSyncIssuesWindow, crm_sync_issues_window, ADW_TYPE_WINDOW)

/* ---------------------------------------------------------------- helpers */

/* A wire value as the user knows it: key values by their label. */
static char *
format_value (CrmStore   *store,
              const char *field,
              const char *value)
{
  const CrmLeadField *info = crm_lead_field_lookup (field);

  if (value == NULL || *value == '\0')
    return g_strdup (_("(empty)"));
  if (info != NULL && info->kind == CRM_FIELD_KIND_KEY_VALUE)
    {
      const char *label = crm_store_key_value_label (store, info->key_kind, value);

      if (label != NULL && *label != '\0')
        return g_strdup (label);
    }
  if (g_strcmp0 (field, "probability") == 0)
    return g_strdup_printf (_("%s %%"), value);

  return g_strdup (value);
}

/* The server's reason in words; *@complete: whether the words say all
 * there is to say (otherwise the server's own message is shown too) */
static const char *
reason_text (const char *reason,
             gboolean   *complete)
{
  *complete = TRUE;
  if (g_strcmp0 (reason, "forbidden") == 0)
    return _("You may no longer change this: your rights on the team server changed, or your account was deactivated.");
  if (g_strcmp0 (reason, "account_disabled") == 0)
    return _("Your account on the team server was deactivated. Once an administrator enables it again, log in and take your value to send it again.");
  if (g_strcmp0 (reason, "deleted") == 0)
    return _("Someone deleted it on the team server.");
  if (g_strcmp0 (reason, "not_found") == 0)
    return _("It no longer exists on the team server.");
  *complete = FALSE;
  if (g_strcmp0 (reason, "validation") == 0)
    return _("The team server did not accept the value.");
  return _("The team server refused the change.");
}

static void
add_value_line (GtkGrid    *grid,
                int         row,
                const char *caption,
                const char *value)
{
  GtkWidget *label = gtk_label_new (caption);
  GtkWidget *text = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, text, 1, row, 1, 1);
}

static void
add_action_button (GtkBox     *box,
                   const char *label,
                   const char *action,
                   const char *uuid)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", uuid);
  gtk_box_append (box, button);
}

static GtkWidget *
issue_row (CrmSyncIssuesWindow *self,
           CrmSyncConflict     *conflict)
{
  const char *kind = crm_sync_conflict_get_kind (conflict);
  const char *field = crm_sync_conflict_get_field (conflict);
  const char *uuid = crm_sync_conflict_get_uuid (conflict);
  const char *title = crm_sync_conflict_get_title (conflict);
  gboolean has_field = field != NULL && *field != '\0';
  gboolean is_lead = crm_sync_conflict_get_lead_id (conflict) > 0;
  g_autofree char *heading = NULL;
  g_autofree char *when = crm_sync_ui_format_when (crm_sync_conflict_get_at (conflict), g_get_real_time ());
  g_autoptr(GString) accessible = g_string_new (NULL);
  GtkWidget *row, *box, *label, *grid, *buttons;
  int line = 0;

  if (title == NULL || *title == '\0')
    title = _("A record");
  if (has_field)
    /* TRANSLATORS: a lead's title and the field of a sync issue */
    heading = g_strdup_printf (_("%s — %s"), title, crm_lead_field_label (field));
  else
    heading = g_strdup (title);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  label = gtk_label_new (heading);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  g_string_append (accessible, heading);

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_box_append (GTK_BOX (box), grid);

  if (g_str_equal (kind, "rejected"))
    {
      const char *message = crm_sync_conflict_get_message (conflict);
      gboolean complete;
      const char *reason = reason_text (crm_sync_conflict_get_reason (conflict), &complete);

      add_value_line (GTK_GRID (grid), line++, _("Refused"), reason);
      /* the server's own words are in the server's language: only where
       * the reason alone does not say what went wrong */
      if (message != NULL && *message != '\0' && !complete)
        add_value_line (GTK_GRID (grid), line++, _("Server says"), message);
      if (has_field)
        {
          g_autofree char *yours = format_value (self->store, field, crm_sync_conflict_get_yours (conflict));

          add_value_line (GTK_GRID (grid), line++, _("Yours"), yours);
        }
      g_string_append_printf (accessible, ". %s", reason);
    }
  else if (g_str_equal (kind, "deleted"))
    {
      const char *by = crm_sync_conflict_get_kept_by (conflict);
      /* TRANSLATORS: who deleted a lead, and when */
      g_autofree char *text = g_strdup_printf (_("Deleted by %s, %s"), by != NULL && *by != '\0' ? by : _("someone"), when);

      add_value_line (GTK_GRID (grid), line++, _("Theirs"), text);
      if (has_field)
        {
          g_autofree char *yours = format_value (self->store, field, crm_sync_conflict_get_yours (conflict));

          add_value_line (GTK_GRID (grid), line++, _("Yours"), yours);
          g_string_append_printf (accessible, ". %s. %s %s", text, _("Yours"), yours);
        }
    }
  else
    {
      g_autofree char *base = format_value (self->store, field, crm_sync_conflict_get_base (conflict));
      g_autofree char *kept = format_value (self->store, field, crm_sync_conflict_get_kept (conflict));
      g_autofree char *yours = format_value (self->store, field, crm_sync_conflict_get_yours (conflict));
      const char *kept_by = crm_sync_conflict_get_kept_by (conflict);
      const char *yours_by = crm_sync_conflict_get_yours_by (conflict);
      g_autofree char *kept_line = NULL;
      g_autofree char *yours_line = NULL;

      /* TRANSLATORS: a value, who set it and when */
      kept_line = g_strdup_printf (_("%s (by %s, %s)"), kept, kept_by != NULL && *kept_by != '\0' ? kept_by : _("someone"), when);
      if (yours_by != NULL && *yours_by != '\0')
        /* TRANSLATORS: a value and who set it */
        yours_line = g_strdup_printf (_("%s (by %s)"), yours, yours_by);
      else
        yours_line = g_strdup (yours);
      add_value_line (GTK_GRID (grid), line++, _("Before"), base);
      add_value_line (GTK_GRID (grid), line++, _("Theirs"), kept_line);
      add_value_line (GTK_GRID (grid), line++, _("Yours"), yours_line);
      g_string_append_printf (accessible, ". %s %s. %s %s. %s %s",
                              _("Before"), base, _("Theirs"), kept_line, _("Yours"), yours_line);
    }

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  add_action_button (GTK_BOX (buttons), g_str_equal (kind, "rejected") ? _("_Discard Mine") : _("_Keep Theirs"),
                     "issues.keep-theirs", uuid);
  if (has_field && is_lead)
    add_action_button (GTK_BOX (buttons), g_str_equal (kind, "rejected") ? _("_Send Again") : _("_Take Mine"),
                       "issues.take-mine", uuid);
  if (is_lead)
    add_action_button (GTK_BOX (buttons), _("_Edit…"), "issues.edit", uuid);
  gtk_box_append (GTK_BOX (box), buttons);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible->str, -1);
  g_object_set_data_full (G_OBJECT (row), "uuid", g_strdup (uuid), g_free);
  return row;
}

static void
refresh (CrmSyncIssuesWindow *self)
{
  g_autoptr(GListModel) conflicts = crm_store_sync_list_conflicts (self->store, FALSE);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  self->count = g_list_model_get_n_items (conflicts);
  for (guint i = 0; i < self->count; i++)
    {
      g_autoptr(CrmSyncConflict) conflict = g_list_model_get_item (conflicts, i);

      gtk_list_box_append (self->list_box, issue_row (self, conflict));
    }
  gtk_stack_set_visible_child_name (self->stack, self->count > 0 ? "list" : "empty");
}

static gboolean
refresh_idle (gpointer user_data)
{
  CrmSyncIssuesWindow *self = user_data;

  self->refresh_source = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed_cb (CrmSyncIssuesWindow *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add (refresh_idle, self);
}

static void
show_error (CrmSyncIssuesWindow *self,
            const GError        *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  g_debug ("Sync issue not resolved: %s", error->message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gint64
resolve (CrmSyncIssuesWindow   *self,
         GVariant              *parameter,
         CrmConflictResolution  how)
{
  const char *uuid = g_variant_get_string (parameter, NULL);
  g_autoptr(GListModel) conflicts = crm_store_sync_list_conflicts (self->store, FALSE);
  g_autoptr(GError) error = NULL;
  gint64 lead_id = 0;

  for (guint i = 0; i < g_list_model_get_n_items (conflicts); i++)
    {
      g_autoptr(CrmSyncConflict) conflict = g_list_model_get_item (conflicts, i);

      if (g_strcmp0 (crm_sync_conflict_get_uuid (conflict), uuid) == 0)
        lead_id = crm_sync_conflict_get_lead_id (conflict);
    }

  if (!crm_store_sync_resolve_conflict (self->store, uuid, how, NULL, &error))
    {
      show_error (self, error);
      return -1;
    }
  refresh (self);
  return lead_id;
}

/* ---------------------------------------------------------------- actions */

static void
keep_theirs_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  resolve (CRM_SYNC_ISSUES_WINDOW (widget), parameter, CRM_CONFLICT_KEEP);
}

static void
take_mine_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  resolve (CRM_SYNC_ISSUES_WINDOW (widget), parameter, CRM_CONFLICT_MINE);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmSyncIssuesWindow *self = CRM_SYNC_ISSUES_WINDOW (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  gint64 lead_id = resolve (self, parameter, CRM_CONFLICT_KEEP);

  if (lead_id > 0 && CRM_IS_WINDOW (parent))
    {
      crm_window_show_lead (CRM_WINDOW (parent), lead_id);
      gtk_window_present (parent);
    }
}

/* -------------------------------------------------------------- overrides */

static void
crm_sync_issues_window_dispose (GObject *object)
{
  CrmSyncIssuesWindow *self = CRM_SYNC_ISSUES_WINDOW (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_SYNC_ISSUES_WINDOW);

  G_OBJECT_CLASS (crm_sync_issues_window_parent_class)->dispose (object);
}

static void
crm_sync_issues_window_class_init (CrmSyncIssuesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_sync_issues_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-sync-issues-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIssuesWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIssuesWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIssuesWindow, list_box);

  gtk_widget_class_install_action (widget_class, "issues.keep-theirs", "s", keep_theirs_action);
  gtk_widget_class_install_action (widget_class, "issues.take-mine", "s", take_mine_action);
  gtk_widget_class_install_action (widget_class, "issues.edit", "s", edit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
crm_sync_issues_window_init (CrmSyncIssuesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ----------------------------------------------------------------- public */

GtkWindow *
crm_sync_issues_window_new (CrmStore  *store,
                            GtkWindow *parent)
{
  CrmSyncIssuesWindow *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (CRM_TYPE_SYNC_ISSUES_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "leads-changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "lead-changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  refresh (self);

  return GTK_WINDOW (self);
}

guint
crm_sync_issues_window_get_count (CrmSyncIssuesWindow *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_ISSUES_WINDOW (self), 0);

  return self->count;
}
