/* crm-sync-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Team server page of Preferences. Logged out: server address, login
 * name and password (sent once to log in, never kept: the engine keeps
 * only the token, in the Secret Service) and Log In, with a spinner while
 * it runs and the engine's error in words below (wrong password, server
 * unreachable, certificate not trusted, too many attempts and how long to
 * wait). Once a database belongs to a server and user, those two rows are
 * fixed and only the password is asked for again.
 *
 * Logged in: who (name, login, server) and which rights (modules,
 * read-only, administrator), Log Out (which warns about unsent changes,
 * crm_gui_confirm_logout()), the sync state with Sync Now, and the
 * automatic sync switch and interval (GSettings sync-automatic,
 * sync-interval; the application hands them to the engine).
 *
 * The first login on a database with leads made before offers to upload
 * them or keep them only on this computer.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-sync.h"
#include "crm-sync-preferences.h"
#include "crm-sync-ui.h"

struct _CrmSyncPreferences
{
  AdwPreferencesPage   parent_instance;

  CrmSyncEngine       *engine;
  GSettings           *settings;
  GCancellable        *cancellable;
  gboolean             logging_in;

  /* template */
  AdwPreferencesGroup *login_group;
  AdwPreferencesGroup *login_button_group;
  AdwEntryRow         *url_row;
  AdwEntryRow         *login_row;
  AdwEntryRow         *password_row;
  GtkLabel            *error_label;
  GtkButton           *login_button;
  GtkSpinner          *login_spinner;
  AdwPreferencesGroup *account_group;
  AdwActionRow        *account_row;
  AdwActionRow        *rights_row;
  GtkButton           *logout_button;
  AdwPreferencesGroup *sync_group;
  AdwActionRow        *status_row;
  GtkSwitch           *automatic_switch;
  GtkSpinButton       *interval_spin;
};

G_DEFINE_FINAL_TYPE (CrmSyncPreferences, crm_sync_preferences, ADW_TYPE_PREFERENCES_PAGE)

/* ---------------------------------------------------------------- helpers */

static char *
describe_rights (CrmStore *store)
{
  g_auto(GStrv) modules = crm_store_sync_dup_modules (store);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; modules[i] != NULL; i++)
    {
      if (g_str_equal (modules[i], "leads"))
        g_ptr_array_add (names, _("Leads"));
      else if (g_str_equal (modules[i], "contacts"))
        g_ptr_array_add (names, _("Contacts"));
    }
  g_ptr_array_add (names, NULL);

  if (names->len == 1)
    g_string_append (text, _("No module is enabled for you: ask your administrator"));
  else
    {
      g_autofree char *list = g_strjoinv (", ", (char **) names->pdata);

      /* TRANSLATORS: %s is a list of modules, such as "Leads, Contacts" */
      g_string_append_printf (text, _("Modules: %s"), list);
    }
  g_string_append (text, "\n");
  g_string_append (text, crm_store_sync_get_read_only (store)
                         ? _("Read only: you can look at everything but not change it")
                         : _("You can add and change leads"));
  if (crm_store_sync_get_admin (store))
    {
      g_string_append (text, "\n");
      g_string_append (text, _("Administrator: you can change the lists (phases, statuses, …)"));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
logged_in (CrmSyncPreferences *self)
{
  return self->engine != NULL &&
         crm_sync_engine_get_state (self->engine) != CRM_SYNC_STATE_DISABLED &&
         !crm_sync_engine_get_needs_login (self->engine);
}

static void
update_login_button (CrmSyncPreferences *self)
{
  gboolean filled = *gtk_editable_get_text (GTK_EDITABLE (self->url_row)) != '\0' &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->login_row)) != '\0' &&
                    *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) != '\0';

  gtk_widget_set_sensitive (GTK_WIDGET (self->login_button), filled && !self->logging_in && self->engine != NULL);
}

static void
update (CrmSyncPreferences *self)
{
  CrmStore *store;
  gboolean bound, in;

  if (self->engine == NULL)
    return;

  store = crm_sync_engine_get_store (self->engine);
  bound = crm_store_sync_is_bound (store);
  in = logged_in (self);

  gtk_widget_set_visible (GTK_WIDGET (self->login_group), !in);
  gtk_widget_set_visible (GTK_WIDGET (self->login_button_group), !in);
  gtk_widget_set_visible (GTK_WIDGET (self->account_group), in);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_group), bound);

  /* a bound database keeps its server and user */
  if (bound)
    {
      g_autofree char *server = crm_store_sync_dup_server_url (store);
      g_autofree char *login = crm_store_sync_dup_login (store);

      g_autofree char *description = NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->url_row), server);
      gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
      adw_preferences_group_set_title (self->login_group, _("Log In Again"));
      /* TRANSLATORS: %s are a login name and a server address */
      description = g_strdup_printf (_("This database belongs to %s on %s. Enter your password to send your changes and receive your team’s. Your password is only sent to log in and never kept."),
                                     login, server);
      adw_preferences_group_set_description (self->login_group, description);
    }
  /* rows stay sensitive (a focused row made insensitive loses its focus
   * badly on GTK 4.8); while logging in, and once the database belongs to
   * a server and user, they are not editable */
  gtk_editable_set_editable (GTK_EDITABLE (self->url_row), !bound && !self->logging_in);
  gtk_editable_set_editable (GTK_EDITABLE (self->login_row), !bound && !self->logging_in);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !self->logging_in);

  if (in)
    {
      g_autofree char *server = crm_store_sync_dup_server_url (store);
      g_autofree char *login = crm_store_sync_dup_login (store);
      g_autofree char *name = crm_store_sync_dup_user_name (store);
      g_autofree char *subtitle = NULL;
      g_autofree char *rights = describe_rights (store);

      /* TRANSLATORS: a login name on a server's address */
      subtitle = g_strdup_printf (_("%s on %s"), login, server);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row),
                                     name != NULL && *name != '\0' ? name : login);
      adw_action_row_set_subtitle (self->account_row, subtitle);
      adw_action_row_set_subtitle (self->rights_row, rights);
    }

  if (bound)
    {
      CrmSyncState state = crm_sync_engine_get_state (self->engine);
      const char *error = crm_sync_engine_get_last_error (self->engine);
      g_autofree char *last = crm_sync_ui_describe_last_sync (crm_sync_engine_get_last_sync (self->engine),
                                                              g_get_real_time ());
      g_autofree char *pending = crm_sync_ui_describe_pending (crm_sync_engine_get_pending_count (self->engine));
      g_autofree char *subtitle = NULL;

      if (error != NULL && state != CRM_SYNC_STATE_SYNCING)
        subtitle = g_strdup_printf ("%s · %s\n%s", last, pending, error);
      else
        subtitle = g_strdup_printf ("%s · %s", last, pending);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), crm_sync_ui_state_title (state, crm_sync_engine_get_pending_count (self->engine)));
      adw_action_row_set_subtitle (self->status_row, subtitle);
    }

  update_login_button (self);
}

static void
show_error (CrmSyncPreferences *self,
            const GError       *error)
{
  gtk_label_set_label (self->error_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);

  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  if (g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_BAD_CREDENTIALS))
    gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
           g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_OFFLINE) ||
           g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_TLS))
    gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
}

static void
set_logging_in (CrmSyncPreferences *self,
                gboolean            logging_in)
{
  self->logging_in = logging_in;
  gtk_widget_set_visible (GTK_WIDGET (self->login_spinner), logging_in);
  gtk_spinner_set_spinning (self->login_spinner, logging_in);
  update (self);
}

/* ---------------------------------------------------------- first upload */

static void
on_upload_response_cb (AdwMessageDialog   *dialog,
                       const char         *response,
                       CrmSyncPreferences *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "upload") == 0 && !crm_sync_engine_upload_local (self->engine, &error))
    show_error (self, error);
  crm_sync_ui_sync_now (self->engine);
}

static void
offer_upload (CrmSyncPreferences *self,
              guint               local_only)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Upload Your Leads?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u lead or contact was made on this computer before you logged in. Upload it to the team server so your team sees it, or keep it only here: it stays in this database but is never synced.",
                                               "%u leads and contacts were made on this computer before you logged in. Upload them to the team server so your team sees them, or keep them only here: they stay in this database but are never synced.",
                                               local_only),
                                  local_only);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Only Here"),
                                    "upload", _("_Upload"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "upload", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "upload");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_upload_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ login */

typedef struct {
  CrmSyncPreferences *self;
  gboolean            first;   /* the database had no server before */
} LoginData;

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  LoginData *data = user_data;
  g_autoptr(CrmSyncPreferences) self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean first = data->first;
  guint local_only;

  g_free (data);
  if (!crm_sync_engine_login_finish (CRM_SYNC_ENGINE (source), result, &error))
    {
      if (!g_error_matches (error, CRM_SYNC_ERROR, CRM_SYNC_ERROR_CANCELLED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_logging_in (self, FALSE);
          show_error (self, error);
        }
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
  set_logging_in (self, FALSE);

  local_only = first ? crm_sync_engine_count_local_only (self->engine) : 0;
  if (local_only > 0)
    offer_upload (self, local_only);
  else
    crm_sync_ui_sync_now (self->engine);
}

static void
login (CrmSyncPreferences *self)
{
  g_autofree char *server = NULL;
  LoginData *data;

  if (self->engine == NULL || self->logging_in || !gtk_widget_get_sensitive (GTK_WIDGET (self->login_button)))
    return;

  data = g_new0 (LoginData, 1);
  data->self = g_object_ref (self);
  data->first = !crm_store_sync_is_bound (crm_sync_engine_get_store (self->engine));

  show_error (self, NULL);
  set_logging_in (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  server = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  crm_sync_engine_login_async (self->engine, server,
                               gtk_editable_get_text (GTK_EDITABLE (self->login_row)),
                               gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                               self->cancellable, on_login_done, data);
}

/* -------------------------------------------------------------- callbacks */

static void
on_entry_changed_cb (CrmSyncPreferences *self)
{
  update_login_button (self);
}

static void
on_entry_activated_cb (CrmSyncPreferences *self)
{
  login (self);
}

static void
on_login_clicked_cb (CrmSyncPreferences *self)
{
  login (self);
}

static void
on_logout_clicked_cb (CrmSyncPreferences *self)
{
  if (self->engine != NULL)
    crm_gui_confirm_logout (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->engine);
}

/* -------------------------------------------------------------- overrides */

static void
crm_sync_preferences_dispose (GObject *object)
{
  CrmSyncPreferences *self = CRM_SYNC_PREFERENCES (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_SYNC_PREFERENCES);

  G_OBJECT_CLASS (crm_sync_preferences_parent_class)->dispose (object);
}

static void
crm_sync_preferences_class_init (CrmSyncPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_sync_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-sync-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, login_group);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, login_button_group);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, url_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, login_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, password_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, login_button);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, login_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, account_group);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, account_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, rights_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, logout_button);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, sync_group);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, status_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, automatic_switch);
  gtk_widget_class_bind_template_child (widget_class, CrmSyncPreferences, interval_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_login_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_logout_clicked_cb);
}

static void
crm_sync_preferences_init (CrmSyncPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ----------------------------------------------------------------- public */

void
crm_sync_preferences_set_engine (CrmSyncPreferences *self,
                                 CrmSyncEngine      *engine,
                                 GSettings          *settings)
{
  g_return_if_fail (CRM_IS_SYNC_PREFERENCES (self));
  g_return_if_fail (CRM_IS_SYNC_ENGINE (engine));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->engine == NULL);

  self->engine = g_object_ref (engine);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "sync-automatic", self->automatic_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sync-interval", gtk_spin_button_get_adjustment (self->interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->automatic_switch, "active",
                          self->interval_spin, "sensitive", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (engine, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);

  update (self);
}

/* Puts the focus where a login starts: the password of a known server,
 * else the first empty row. */
void
crm_sync_preferences_focus_login (CrmSyncPreferences *self)
{
  g_return_if_fail (CRM_IS_SYNC_PREFERENCES (self));

  if (*gtk_editable_get_text (GTK_EDITABLE (self->url_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
  else if (*gtk_editable_get_text (GTK_EDITABLE (self->login_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}
