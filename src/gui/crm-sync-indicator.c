/* crm-sync-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header bar's sync indicator: a menu button whose icon says synced /
 * syncing (a spinner) / offline / needs attention, with the number of
 * pending changes beside it, and a popover with the last successful sync
 * ("Synced 2 minutes ago"), the pending changes, the progress of a long
 * pull, the last error as the engine words it, and the actions: Sync Now
 * (app.sync), Log In Again (app.login) and Sync Issues
 * (win.show-sync-issues). Hidden while the database has no team server.
 * Everything follows the engine's properties; the relative time is
 * refreshed every 30 seconds.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-sync.h"
#include "crm-sync-indicator.h"
#include "crm-sync-ui.h"

struct _CrmSyncIndicator
{
  GtkWidget       parent_instance;

  CrmSyncEngine  *engine;
  guint           clock;

  /* template */
  GtkMenuButton  *button;
  GtkPopover     *popover;
  GtkStack       *icon_stack;
  GtkImage       *icon;
  GtkSpinner     *spinner;
  GtkLabel       *count_label;
  GtkLabel       *title_label;
  GtkLabel       *server_label;
  GtkLabel       *last_sync_label;
  GtkLabel       *pending_label;
  GtkLabel       *progress_label;
  GtkLabel       *error_label;
  GtkButton      *sync_button;
  GtkButton      *login_button;
  GtkButton      *issues_button;
};

G_DEFINE_FINAL_TYPE (CrmSyncIndicator, crm_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------- helpers */

static void
update (CrmSyncIndicator *self)
{
  CrmSyncState state;
  guint pending, conflicts;
  guint64 progress;
  const char *error;
  gboolean needs_login;
  g_autofree char *last = NULL;
  g_autofree char *pending_text = NULL;
  g_autofree char *server = NULL;
  g_autofree char *name = NULL;
  g_autofree char *tooltip = NULL;
  CrmStore *store;

  if (self->engine == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  store = crm_sync_engine_get_store (self->engine);
  state = crm_sync_engine_get_state (self->engine);
  pending = crm_sync_engine_get_pending_count (self->engine);
  progress = crm_sync_engine_get_progress (self->engine);
  error = crm_sync_engine_get_last_error (self->engine);
  needs_login = crm_sync_engine_get_needs_login (self->engine);
  conflicts = crm_store_sync_count_conflicts (store);

  gtk_widget_set_visible (GTK_WIDGET (self), state != CRM_SYNC_STATE_DISABLED);

  /* the button */
  gtk_image_set_from_icon_name (self->icon, crm_sync_ui_state_icon (state));
  gtk_stack_set_visible_child_name (self->icon_stack, state == CRM_SYNC_STATE_SYNCING ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->spinner, state == CRM_SYNC_STATE_SYNCING);
  if (pending > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", pending);

      gtk_label_set_label (self->count_label, count);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), pending > 0);
  if (state == CRM_SYNC_STATE_NEEDS_ATTENTION || state == CRM_SYNC_STATE_PAUSED || conflicts > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "warning");

  /* the popover */
  last = crm_sync_ui_describe_last_sync (crm_sync_engine_get_last_sync (self->engine), g_get_real_time ());
  pending_text = crm_sync_ui_describe_pending (pending);
  gtk_label_set_label (self->title_label, crm_sync_ui_state_title (state, pending));
  gtk_label_set_label (self->last_sync_label, last);
  gtk_label_set_label (self->pending_label, pending_text);

  server = crm_store_sync_dup_server_url (store);
  name = crm_store_sync_dup_user_name (store);
  if (server != NULL)
    {
      g_autofree char *who = NULL;

      /* TRANSLATORS: a user's name on a server's address */
      who = g_strdup_printf (_("%s on %s"), name != NULL && *name != '\0' ? name : _("you"), server);
      gtk_label_set_label (self->server_label, who);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->server_label), server != NULL);

  if (state == CRM_SYNC_STATE_SYNCING && progress > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%llu record received", "%llu records received",
                                                            (gulong) progress),
                                               (unsigned long long) progress);

      gtk_label_set_label (self->progress_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), state == CRM_SYNC_STATE_SYNCING && progress > 0);

  gtk_label_set_label (self->error_label, error != NULL ? error : "");
  /* being offline is normal on the road: said calmly, not in red */
  if (state == CRM_SYNC_STATE_OFFLINE)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->error_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->error_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL && state != CRM_SYNC_STATE_SYNCING);

  gtk_widget_set_visible (GTK_WIDGET (self->login_button), needs_login);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), !needs_login);
  if (conflicts > 0)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_%u Sync Issue…", "_%u Sync Issues…", conflicts),
                                                conflicts);

      gtk_button_set_label (self->issues_button, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->issues_button), conflicts > 0);

  /* the same in one line, for the tooltip and screen readers */
  if (state == CRM_SYNC_STATE_SYNCED && pending == 0)
    tooltip = g_strdup_printf ("%s — %s", crm_sync_ui_state_title (state, pending), last);
  else
    tooltip = g_strdup_printf ("%s — %s", crm_sync_ui_state_title (state, pending), pending_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
}

static gboolean
on_clock_cb (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

/* -------------------------------------------------------------- callbacks */

static void
on_popover_show_cb (CrmSyncIndicator *self)
{
  update (self);
}

static void
on_store_changed_cb (CrmSyncIndicator *self)
{
  update (self);
}

/* -------------------------------------------------------------- overrides */

static void
crm_sync_indicator_dispose (GObject *object)
{
  CrmSyncIndicator *self = CRM_SYNC_INDICATOR (object);

  g_clear_handle_id (&self->clock, g_source_remove);
  crm_sync_indicator_set_engine (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_SYNC_INDICATOR);

  G_OBJECT_CLASS (crm_sync_indicator_parent_class)->dispose (object);
}

static void
crm_sync_indicator_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrmSyncIndicator *self = CRM_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_indicator_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrmSyncIndicator *self = CRM_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      crm_sync_indicator_set_engine (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_indicator_class_init (CrmSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_sync_indicator_dispose;
  object_class->get_property = crm_sync_indicator_get_property;
  object_class->set_property = crm_sync_indicator_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, CRM_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, server_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, pending_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, sync_button);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, login_button);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncIndicator, issues_button);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show_cb);
}

static void
crm_sync_indicator_init (CrmSyncIndicator *self)
{
  GtkButton *buttons[3];

  gtk_widget_init_template (GTK_WIDGET (self));

  /* an action from the popover closes it */
  buttons[0] = self->sync_button;
  buttons[1] = self->login_button;
  buttons[2] = self->issues_button;
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    g_signal_connect_object (buttons[i], "clicked", G_CALLBACK (gtk_popover_popdown), self->popover,
                             G_CONNECT_SWAPPED);

  self->clock = g_timeout_add_seconds (30, on_clock_cb, self);
  update (self);
}

/* ----------------------------------------------------------------- public */

void
crm_sync_indicator_set_engine (CrmSyncIndicator *self,
                               CrmSyncEngine    *engine)
{
  g_return_if_fail (CRM_IS_SYNC_INDICATOR (self));
  g_return_if_fail (engine == NULL || CRM_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      g_signal_handlers_disconnect_by_data (crm_sync_engine_get_store (self->engine), self);
    }
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      g_signal_connect_object (engine, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      /* a resolved conflict or a pulled one changes the Sync Issues count */
      g_signal_connect_object (crm_sync_engine_get_store (engine), "lead-changed",
                               G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (crm_sync_engine_get_store (engine), "leads-changed",
                               G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
    }

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

CrmSyncEngine *
crm_sync_indicator_get_engine (CrmSyncIndicator *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_INDICATOR (self), NULL);

  return self->engine;
}
