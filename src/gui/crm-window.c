/* crm-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: a header with "New lead", the view switcher, the sync
 * indicator and the main menu; a welcome page while the database is empty;
 * the Leads, Pipeline and Contacts views otherwise. Size, maximized state
 * and the last view are remembered in GSettings.
 *
 * Module rights (team server): without the Leads module the Leads-based
 * views (leads, pipeline, statistics) are hidden and one "no-leads" page
 * says why and whom to ask; a read-only user sees everything, with every
 * editing action off and the lead form insensitive (the store refuses
 * writes too, so nothing is queued).
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-application.h"
#include "crm-contacts-view.h"
#include "crm-leads-view.h"
#include "crm-pipeline-view.h"
#include "crm-statistics-view.h"
#include "crm-store-sync.h"
#include "crm-sync-indicator.h"
#include "crm-sync-issues-window.h"
#include "crm-sync-ui.h"
#include "crm-window.h"

struct _CrmWindow
{
  AdwApplicationWindow  parent_instance;

  CrmStore             *store;
  GSettings            *settings;
  CrmSyncEngine        *engine;

  /* template */
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwToastOverlay      *toast_overlay;
  CrmLeadsView         *leads_view;
  CrmPipelineView      *pipeline_view;
  CrmContactsView      *contacts_view;
  CrmStatisticsView    *statistics_view;
  GtkButton            *sample_button;
  CrmSyncIndicator     *sync_indicator;
  AdwViewStackPage     *no_leads_page;
  AdwStatusPage        *no_leads_status;
};

/* the views that show leads: hidden without the Leads module */
static const char *leads_views[] = { "leads", "pipeline", "statistics" };

G_DEFINE_FINAL_TYPE (CrmWindow, crm_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---------------------------------------------------------------- helpers */

static void
update_main_page (CrmWindow *self)
{
  /* a database of a team server never offers the sample */
  gboolean empty = crm_store_is_empty (self->store) && !crm_store_sync_is_bound (self->store);

  gtk_stack_set_visible_child_name (self->main_stack, empty ? "welcome" : "content");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", !empty);

  /* Enter starts with the sample */
  if (empty)
    gtk_widget_grab_focus (GTK_WIDGET (self->sample_button));
}

/* The user's rights from the team server (a local database has all). */
static void
update_rights (CrmWindow *self)
{
  gboolean has_leads = crm_sync_ui_has_module (self->engine, "leads");
  gboolean read_only = crm_store_sync_get_read_only (self->store);
  const char *visible = adw_view_stack_get_visible_child_name (self->view_stack);
  gboolean hide_visible = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (leads_views); i++)
    {
      GtkWidget *child = adw_view_stack_get_child_by_name (self->view_stack, leads_views[i]);

      if (child == NULL)
        continue;
      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->view_stack, child), has_leads);
      if (!has_leads && g_strcmp0 (visible, leads_views[i]) == 0)
        hide_visible = TRUE;
    }
  adw_view_stack_page_set_visible (self->no_leads_page, !has_leads);
  if (!has_leads)
    {
      g_autofree char *server = crm_store_sync_dup_server_url (self->store);
      g_autofree char *login = crm_store_sync_dup_login (self->store);
      g_autofree char *text = NULL;

      /* TRANSLATORS: %s are a login name and a server address */
      text = g_strdup_printf (_("Your account %s on %s does not include the Leads module, so leads, the pipeline and the statistics are not shown. Ask the administrator of your team server to enable it for you."),
                              login, server);
      adw_status_page_set_description (self->no_leads_status, text);
      if (hide_visible)
        adw_view_stack_set_visible_child_name (self->view_stack, "no-leads");
    }
  else if (g_strcmp0 (visible, "no-leads") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "leads");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-lead", has_leads && !read_only);
  crm_leads_view_set_read_only (self->leads_view, read_only);
  crm_pipeline_view_set_read_only (self->pipeline_view, read_only);

  /* a login on an empty database: the welcome page (with its sample
   * data) gives way to the views, or to the page that says why not */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "welcome") == 0)
    update_main_page (self);
}

static void
update_sync_issues_action (CrmWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-sync-issues",
                                 crm_store_sync_is_bound (self->store));
}

/* ---------------------------------------------------------------- actions */

static void
show_sync_issues_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);

  gtk_window_present (crm_sync_issues_window_new (self->store, GTK_WINDOW (self)));
}

static void
new_lead_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);

  if (crm_store_sync_get_read_only (self->store) || !crm_sync_ui_has_module (self->engine, "leads"))
    return;

  crm_window_show_view (self, "leads");
  crm_leads_view_new_lead (self->leads_view);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);
  const char *view = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (view, "contacts") == 0)
    crm_contacts_view_focus_search (self->contacts_view);
  else
    {
      crm_window_show_view (self, "leads");
      crm_leads_view_focus_search (self->leads_view);
    }
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  crm_window_show_view (CRM_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
load_sample_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!crm_store_load_sample (self->store, &error))
    {
      crm_window_show_error (self, error);
      return;
    }

  update_main_page (self);
}

/* -------------------------------------------------------------- callbacks */

static void
on_store_changed_cb (CrmWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "welcome") == 0)
    update_main_page (self);
}

static void
on_visible_child_changed_cb (CrmWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (name != NULL)
    g_settings_set_string (self->settings, "last-view", name);
}

/* -------------------------------------------------------------- overrides */

static gboolean
crm_window_close_request (GtkWindow *window)
{
  CrmWindow *self = CRM_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (crm_window_parent_class)->close_request (window);
}

/* Not in constructed(): GtkWindow:application is not a construct
 * property, so it is set only after constructed() ran. */
static void
setup (CrmWindow      *self,
       CrmApplication *app)
{
  g_autofree char *last_view = NULL;

  self->store = g_object_ref (crm_application_get_store (app));
  self->settings = g_object_ref (crm_application_get_settings (app));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  crm_leads_view_set_store (self->leads_view, self->store, self->settings);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns",
                                  crm_leads_view_get_column_actions (self->leads_view));
  crm_contacts_view_set_store (self->contacts_view, self->store);
  crm_pipeline_view_set_store (self->pipeline_view, self->store, self->settings,
                               crm_leads_view_get_model (self->leads_view));
  crm_statistics_view_set_store (self->statistics_view, self->store);

  last_view = g_settings_get_string (self->settings, "last-view");
  if (adw_view_stack_get_child_by_name (self->view_stack, last_view) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, last_view);

  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (on_visible_child_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "leads-changed",
                           G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "lead-changed",
                           G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);

  self->engine = crm_application_get_sync_engine (app);
  if (self->engine != NULL)
    {
      g_object_ref (self->engine);
      crm_sync_indicator_set_engine (self->sync_indicator, self->engine);
      g_signal_connect_object (self->engine, "notify::user-modules",
                               G_CALLBACK (update_rights), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->engine, "notify::read-only",
                               G_CALLBACK (update_rights), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->engine, "notify::state",
                               G_CALLBACK (update_sync_issues_action), self, G_CONNECT_SWAPPED);
    }
  update_rights (self);
  update_sync_issues_action (self);
  update_main_page (self);
}

static void
crm_window_dispose (GObject *object)
{
  CrmWindow *self = CRM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_WINDOW);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (crm_window_parent_class)->dispose (object);
}

static void
crm_window_class_init (CrmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = crm_window_dispose;
  window_class->close_request = crm_window_close_request;

  g_type_ensure (CRM_TYPE_LEADS_VIEW);
  g_type_ensure (CRM_TYPE_CONTACTS_VIEW);
  g_type_ensure (CRM_TYPE_PIPELINE_VIEW);
  g_type_ensure (CRM_TYPE_STATISTICS_VIEW);
  g_type_ensure (CRM_TYPE_SYNC_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, leads_view);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, contacts_view);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, pipeline_view);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, statistics_view);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, sample_button);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, no_leads_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, no_leads_status);

  gtk_widget_class_install_action (widget_class, "win.new-lead", NULL, new_lead_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-lead", NULL);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-view", "s", "leads");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-view", "s", "pipeline");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-view", "s", "contacts");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-view", "s", "statistics");

  gtk_widget_class_install_action (widget_class, "win.load-sample", NULL, load_sample_action);

  gtk_widget_class_install_action (widget_class, "win.show-sync-issues", NULL, show_sync_issues_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-sync-issues", NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
crm_window_init (CrmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ----------------------------------------------------------------- public */

CrmWindow *
crm_window_new (CrmApplication *application)
{
  CrmWindow *self = g_object_new (CRM_TYPE_WINDOW, "application", application, NULL);

  setup (self, application);
  return self;
}

void
crm_window_add_toast (CrmWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Errors the user can act on ("disk full") as a toast that stays. */
void
crm_window_show_error (CrmWindow    *self,
                       const GError *error)
{
  AdwToast *toast;

  g_return_if_fail (CRM_IS_WINDOW (self));

  toast = adw_toast_new (error->message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  crm_window_add_toast (self, toast);
}

/* Shows @error in the window of @widget (a warning when it has none,
 * as in tests of a lone widget). */
void
crm_window_show_error_of (GtkWidget    *widget,
                          const GError *error)
{
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error != NULL);

  root = gtk_widget_get_root (widget);
  if (CRM_IS_WINDOW (root))
    crm_window_show_error (CRM_WINDOW (root), error);
  else
    g_warning ("%s", error->message);
}

CrmLeadsView *
crm_window_get_leads_view (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->leads_view;
}

CrmStatisticsView *
crm_window_get_statistics_view (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->statistics_view;
}

void
crm_window_show_view (CrmWindow  *self,
                      const char *name)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
crm_window_show_contact (CrmWindow *self,
                         gint64     contact_id)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  crm_window_show_view (self, "contacts");
  crm_contacts_view_select_contact (self->contacts_view, contact_id);
}

void
crm_window_show_lead (CrmWindow *self,
                      gint64     lead_id)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  crm_window_show_view (self, "leads");
  crm_leads_view_show_lead (self->leads_view, lead_id);
}
