/* crm-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application opens the local store (the user's own database, or
 * --db PATH) once and gives it to its windows. A database that cannot be
 * opened is explained in a dialog instead of a crash.
 *
 * It also owns the one CrmSyncEngine of that store, with the login token
 * in the Secret Service (CrmTokenStore; the Secret portal inside Flatpak),
 * automatic on the interval of the sync-interval setting, and the app-wide
 * sync actions: app.sync (Ctrl+Shift+R), app.login (Preferences, Team server page),
 * app.logout (asks first when changes are not yet sent).
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-application.h"
#include "crm-gui-resources.h"
#include "crm-preferences-window.h"
#include "crm-sync-engine.h"
#include "crm-sync-ui.h"
#include "crm-window.h"

struct _CrmApplication
{
  AdwApplication  parent_instance;

  char           *db_path;
  CrmStore       *store;
  GSettings      *settings;
  gboolean        currency_synced;
  CrmTokenStore  *tokens;          /* NULL: the Secret Service */
  CrmSyncEngine  *engine;
};

G_DEFINE_FINAL_TYPE (CrmApplication, crm_application, ADW_TYPE_APPLICATION)

/* ---------------------------------------------------------------- actions */

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  CrmApplication *self = user_data;
  static const char *developers[] = { "Leads developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Leads"),
                         "application-icon", APP_ID,
                         "developer-name", _("Leads developers"),
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/leadsdesk/leads",
                         "issue-url", "https://github.com/leadsdesk/leads/issues",
                         "comments", _("Track sales opportunities offline, forecast revenue and sync with your team."),
                         "developers", developers,
                         /* TRANSLATORS: your name, shown in the About window */
                         "translator-credits", _("translator-credits"),
                         "copyright", "© 2026 Leads developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static GtkWindow *
show_preferences (CrmApplication *self,
                  const char     *page)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *prefs;

  if (self->store == NULL)
    return NULL;

  prefs = crm_preferences_window_new (self->store, window);
  /* app.sync on the Team Server page */
  gtk_window_set_application (prefs, GTK_APPLICATION (self));
  crm_preferences_window_set_sync_engine (CRM_PREFERENCES_WINDOW (prefs), self->engine);
  if (page != NULL)
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), page);
  gtk_window_present (prefs);
  return prefs;
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  show_preferences (user_data, NULL);
}

static void
login_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  CrmApplication *self = user_data;
  GtkWindow *prefs = show_preferences (self, "team-server");

  if (prefs != NULL)
    crm_preferences_window_focus_login (CRM_PREFERENCES_WINDOW (prefs));
}

static void
sync_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CrmApplication *self = user_data;

  if (self->engine != NULL && crm_sync_engine_get_state (self->engine) != CRM_SYNC_STATE_DISABLED)
    crm_sync_ui_sync_now (self->engine);
}

static void
logout_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  CrmApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->engine != NULL)
    crm_gui_confirm_logout (window, self->engine);
}

/* Preferences open on the exchange rates (from the Statistics view's
 * "not counted" banner). */
static void
exchange_rates_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  show_preferences (user_data, "rates");
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "exchange-rates", exchange_rates_action },
  { "sync", sync_action },
  { "login", login_action },
  { "logout", logout_action },
};

/* app.sync and app.logout only while a server is bound and logged in */
static void
update_sync_actions (CrmApplication *self)
{
  gboolean bound = self->engine != NULL && crm_sync_engine_get_state (self->engine) != CRM_SYNC_STATE_DISABLED;
  gboolean logged_in = bound && !crm_sync_engine_get_needs_login (self->engine);
  GAction *action;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sync");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), logged_in);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "logout");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), logged_in);
}

static void
sync_settings_changed (CrmApplication *self)
{
  crm_sync_engine_set_interval (self->engine, 60 * g_settings_get_uint (self->settings, "sync-interval"));
  crm_sync_engine_set_automatic (self->engine, g_settings_get_boolean (self->settings, "sync-automatic"));
}

static void
setup_sync (CrmApplication *self)
{
  self->engine = crm_sync_engine_new (self->store, self->tokens);
  sync_settings_changed (self);
  g_signal_connect_object (self->settings, "changed::sync-interval",
                           G_CALLBACK (sync_settings_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::sync-automatic",
                           G_CALLBACK (sync_settings_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::state",
                           G_CALLBACK (update_sync_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::needs-login",
                           G_CALLBACK (update_sync_actions), self, G_CONNECT_SWAPPED);
  update_sync_actions (self);
}

/* The store's company currency follows the setting (Preferences). */
static void
sync_company_currency (CrmApplication *self)
{
  g_autofree char *currency = g_settings_get_string (self->settings, "company-currency");
  g_autoptr(GError) error = NULL;

  if (!crm_store_set_default_currency (self->store, currency, &error))
    g_warning ("Cannot set the company currency: %s", error->message);
}

/* -------------------------------------------------------------- overrides */

static void
show_open_error (CrmApplication *self,
                 const char     *path,
                 const GError   *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL, _("Cannot Open the Database"), NULL);
  if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_CORRUPT))
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("“%s” is not a Leads database, or it is damaged. The file was left as it is."),
                                    path);
  else
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "%s", error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
crm_application_activate (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;

  if (window == NULL && self->store == NULL)
    {
      g_autofree char *path = self->db_path ? g_strdup (self->db_path) : crm_store_default_path ();
      g_autofree char *author = g_settings_get_string (self->settings, "author-name");

      self->store = crm_store_open (path, &error);
      if (self->store == NULL)
        {
          show_open_error (self, path, error);
          return;
        }
      crm_store_set_author (self->store, author);
    }

  if (self->store != NULL && !self->currency_synced)
    {
      sync_company_currency (self);
      g_signal_connect_object (self->settings, "changed::company-currency",
                               G_CALLBACK (sync_company_currency), self, G_CONNECT_SWAPPED);
      self->currency_synced = TRUE;
    }

  if (self->store != NULL && self->engine == NULL)
    setup_sync (self);

  if (window == NULL)
    window = GTK_WINDOW (crm_window_new (self));

  gtk_window_present (window);
}

static int
crm_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  CrmApplication *self = CRM_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (db);

      self->db_path = g_file_get_path (file);
      /* another database is another app instance */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
crm_application_startup (GApplication *app)
{
  CrmApplication *self = CRM_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *sync_accels[] = { "<Control><Shift>r", NULL };

  G_APPLICATION_CLASS (crm_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.sync", sync_accels);
  update_sync_actions (self);
}

static void
crm_application_finalize (GObject *object)
{
  CrmApplication *self = (CrmApplication *)object;

  g_clear_object (&self->engine);
  g_clear_object (&self->tokens);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_free (self->db_path);

  G_OBJECT_CLASS (crm_application_parent_class)->finalize (object);
}

static void
crm_application_class_init (CrmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = crm_application_finalize;
  app_class->activate = crm_application_activate;
  app_class->startup = crm_application_startup;
  app_class->handle_local_options = crm_application_handle_local_options;
}

static void
crm_application_init (CrmApplication *self)
{
  static const GOptionEntry options[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open the database in FILE instead of your own"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

/* ----------------------------------------------------------------- public */

/* The GResource lives in a static library: registering it by name keeps
 * the linker from dropping it. */
void
crm_gui_register_resources (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      g_resources_register (crm_gui_get_resource ());
      g_once_init_leave (&once, 1);
    }
}

CrmApplication *
crm_application_new (void)
{
  crm_gui_register_resources ();

  return g_object_new (CRM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/io/github/leadsdesk/Leads",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

CrmStore *
crm_application_get_store (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);

  return self->store;
}

/* Gives the application a store that is already open, so that activate
 * does not open the user's database; for tests and embedding. Call it
 * before the first window is created. */
void
crm_application_set_store (CrmApplication *self,
                           CrmStore       *store)
{
  g_return_if_fail (CRM_IS_APPLICATION (self));
  g_return_if_fail (store == NULL || CRM_IS_STORE (store));

  g_set_object (&self->store, store);
}

GSettings *
crm_application_get_settings (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);

  return self->settings;
}

/* Where the engine keeps the login token: call before the first window.
 * The default (NULL) is the Secret Service; tests, which have none, give
 * a file token store. */
void
crm_application_set_token_store (CrmApplication *self,
                                 CrmTokenStore  *tokens)
{
  g_return_if_fail (CRM_IS_APPLICATION (self));
  g_return_if_fail (tokens == NULL || CRM_IS_TOKEN_STORE (tokens));
  g_return_if_fail (self->engine == NULL);

  g_set_object (&self->tokens, tokens);
}

/* Returns: (transfer none) (nullable): the sync engine of the store, once
 * the store is open */
CrmSyncEngine *
crm_application_get_sync_engine (CrmApplication *self)
{
  g_return_val_if_fail (CRM_IS_APPLICATION (self), NULL);

  return self->engine;
}
