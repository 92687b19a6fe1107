/* test-sync-ui.c: the app's sync user interface against a real team server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts the real `leads-server` on a free loopback port with a
 * temporary --data folder, creates its users with the server's own CLI,
 * and drives the real application window under Xvfb: the login through
 * the Preferences page's widgets, edits through the lead detail, sync
 * through app.sync, the header indicator's icon, count and tooltip, the
 * Sync Issues window's actions, and the module rights.
 *
 * The login token is kept in a file token store (crm_token_store_new_file)
 * because CI has no Secret Service; the application's default, the
 * Secret Service through libsecret, is the same CrmTokenStore API. A second
 * client is the real `leadsctl` with its own database.
 *
 * Automatic sync is switched off (sync-automatic) so that every round is
 * one the test asked for; nothing here depends on timing.
 *
 *   test-sync-ui LEADS_SERVER LEADSCTL
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>

#include "crm-application.h"
#include "crm-lead-detail.h"
#include "crm-leads-view.h"
#include "crm-preferences-window.h"
#include "crm-store-sync.h"
#include "crm-sync-conflict.h"
#include "crm-sync-indicator.h"
#include "crm-sync-issues-window.h"
#include "crm-sync-preferences.h"
#include "crm-test-server.h"
#include "crm-ui-test.h"
#include "crm-window.h"

#define PASSWORD "correct horse battery"
#define WAIT_MS  60000

static const char *server_binary;
static const char *leadsctl_binary;

typedef struct {
  char           *dir;        /* this test's folder */
  char           *url;
  CrmTestServer  *server;
  CrmStore       *store;
  CrmApplication *app;
  CrmWindow      *window;
  CrmSyncEngine  *engine;
} Fixture;

/* ---------------------------------------------------------------- helpers */

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  static guint counter;
  g_autoptr(GError) error = NULL;

  fx->dir = g_strdup_printf ("%s/sync-%u", crm_ui_test_tmp_dir (), counter++);
  fx->server = crm_test_server_new (server_binary, fx->dir);
  fx->url = g_strdup (fx->server->url);
}

/* The application on its own database, with a file token store, and its
 * window. */
static void
open_app (Fixture *fx)
{
  g_autofree char *db = g_build_filename (fx->dir, "app.db", NULL);
  g_autofree char *tokens_path = g_build_filename (fx->dir, "app.token", NULL);
  g_autoptr(CrmTokenStore) tokens = crm_token_store_new_file (tokens_path);
  g_autoptr(GError) error = NULL;

  fx->store = crm_store_open (db, &error);
  g_assert_no_error (error);
  crm_store_set_author (fx->store, "Sync Tester");

  fx->app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (fx->app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (fx->app), NULL, &error));
  g_assert_no_error (error);
  g_settings_set_boolean (crm_application_get_settings (fx->app), "sync-automatic", FALSE);
  crm_application_set_store (fx->app, fx->store);
  crm_application_set_token_store (fx->app, tokens);
  g_application_activate (G_APPLICATION (fx->app));

  fx->window = CRM_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fx->app)));
  g_assert_true (CRM_IS_WINDOW (fx->window));
  fx->engine = crm_application_get_sync_engine (fx->app);
  g_assert_true (CRM_IS_SYNC_ENGINE (fx->engine));
  g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_DISABLED);
  g_assert_false (crm_sync_engine_get_automatic (fx->engine));
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  if (fx->app != NULL)
    {
      g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

      for (GList *l = toplevels; l != NULL; l = l->next)
        gtk_window_set_focus (l->data, NULL);
      crm_ui_test_spin ();
      for (GList *l = toplevels; l != NULL; l = l->next)
        gtk_window_destroy (l->data);
      crm_ui_test_spin ();
    }
  g_clear_object (&fx->app);
  g_clear_object (&fx->store);
  g_clear_pointer (&fx->server, crm_test_server_free);
  g_free (fx->url);
  g_free (fx->dir);
}

#define template_child crm_ui_test_template_child

static gpointer
find_window (Fixture *fx,
             GType    type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
engine_idle (gpointer data)
{
  Fixture *fx = data;
  CrmSyncState state = crm_sync_engine_get_state (fx->engine);

  return state != CRM_SYNC_STATE_SYNCING && state != CRM_SYNC_STATE_DISABLED;
}

static gboolean
engine_synced (gpointer data)
{
  Fixture *fx = data;

  return crm_sync_engine_get_state (fx->engine) == CRM_SYNC_STATE_SYNCED;
}

static gboolean
engine_syncing (gpointer data)
{
  Fixture *fx = data;

  return crm_sync_engine_get_state (fx->engine) == CRM_SYNC_STATE_SYNCING;
}

/* app.sync, then wait for the round to end */
static CrmSyncState
sync_now (Fixture *fx)
{
  g_action_group_activate_action (G_ACTION_GROUP (fx->app), "sync", NULL);
  crm_ui_test_spin ();
  g_assert_true (crm_ui_test_wait_until (engine_idle, fx, WAIT_MS));
  return crm_sync_engine_get_state (fx->engine);
}

/* Logs in through the Team Server page of Preferences, as a user would:
 * app.login opens it, the rows are filled, Log In is clicked. */
static CrmSyncPreferences *
login_through_preferences (Fixture    *fx,
                           const char *login,
                           const char *password)
{
  CrmPreferencesWindow *prefs;
  CrmSyncPreferences *page;
  GtkWidget *button;

  g_action_group_activate_action (G_ACTION_GROUP (fx->app), "login", NULL);
  crm_ui_test_spin ();
  prefs = find_window (fx, CRM_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  page = crm_preferences_window_get_sync_page (prefs);
  g_assert_true (adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (prefs)) == ADW_PREFERENCES_PAGE (page));

  button = template_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_button");
  g_assert_false (gtk_widget_get_sensitive (button));
  gtk_editable_set_text (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "url_row"), fx->url);
  gtk_editable_set_text (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_row"), login);
  gtk_editable_set_text (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "password_row"), password);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  /* the spinner turns while the login runs */
  g_assert_true (gtk_widget_get_visible (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_spinner")));
  return page;
}

static gboolean
login_finished (gpointer data)
{
  CrmSyncPreferences *page = data;

  return !gtk_widget_get_visible (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_spinner"));
}

static CrmLeadDetail *
show_lead (Fixture *fx,
           gint64   id)
{
  CrmLeadsView *view = crm_window_get_leads_view (fx->window);

  crm_window_show_lead (fx->window, id);
  crm_ui_test_spin ();
  return crm_leads_view_get_detail (view);
}

static gint64
create_lead (CrmStore   *store,
             const char *title)
{
  g_autoptr(GError) error = NULL;
  CrmFieldValue values[] = {
    { "title", title },
    { "volume_minor", "1000000" },
    { "probability", "20" },
  };
  gint64 id = crm_store_create_lead (store, values, G_N_ELEMENTS (values), &error);

  g_assert_no_error (error);
  return id;
}

static const char *
indicator_icon (Fixture *fx)
{
  CrmSyncIndicator *indicator = template_child (fx->window, CRM_TYPE_WINDOW, "sync_indicator");

  return gtk_image_get_icon_name (template_child (indicator, CRM_TYPE_SYNC_INDICATOR, "icon"));
}

static gpointer
indicator_child (Fixture    *fx,
                 const char *name)
{
  CrmSyncIndicator *indicator = template_child (fx->window, CRM_TYPE_WINDOW, "sync_indicator");

  return template_child (indicator, CRM_TYPE_SYNC_INDICATOR, name);
}

/* leadsctl on the second client's database */
static char *
leadsctl (Fixture    *fx,
          const char *input,
          ...)
{
  g_autofree char *db = g_build_filename (fx->dir, "second.db", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) leadsctl_binary);
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, db);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return crm_test_run ((const char * const *) argv->pdata, input);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The id of the lead called @title in the second client's database */
static char *
second_lead_id (Fixture    *fx,
                const char *title)
{
  g_autofree char *out = leadsctl (fx, NULL, "lead", "list", "--format", "json", NULL);
  g_autoptr(JsonObject) list = parse_object (out);
  JsonArray *leads = json_object_get_array_member (list, "leads");

  for (guint i = 0; i < json_array_get_length (leads); i++)
    {
      JsonObject *lead = json_array_get_object_element (leads, i);

      if (g_strcmp0 (json_object_get_string_member (lead, "title"), title) == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (lead, "id"));
    }
  g_error ("the second client has no lead “%s”", title);
}

/* The widget below @widget whose action is @action */
static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ------------------------------------------------------------------ tests */

/* Login through Preferences (with the offer to upload the local leads), an
 * edit that syncs, the indicator synced with nothing pending; the server
 * stopped: offline with the pending count; back: synced. */
static void
test_login_edit_offline (Fixture       *fx,
                         gconstpointer  data)
{
  CrmSyncPreferences *page;
  AdwMessageDialog *upload;
  CrmLeadDetail *detail;
  gint64 id;

  if (crm_ui_test_skip_without_display ())
    return;

  crm_test_server_add_user (fx->server, "anna", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_start (fx->server);
  open_app (fx);
  id = create_lead (fx->store, "Made before the login");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (template_child (fx->window, CRM_TYPE_WINDOW, "sync_indicator"))));

  /* a wrong password is said on the page and nothing is bound */
  page = login_through_preferences (fx, "anna", "wrong password");
  g_assert_true (crm_ui_test_wait_until (login_finished, page, WAIT_MS));
  g_assert_true (gtk_widget_get_visible (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "error_label")));
  g_assert_cmpstr (gtk_label_get_label (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "error_label")), ==,
                   "The login or the password is wrong");
  g_assert_true (gtk_widget_has_css_class (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "password_row"), "error"));
  g_assert_false (crm_store_sync_is_bound (fx->store));

  /* the right one */
  gtk_editable_set_text (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "password_row"), PASSWORD);
  g_signal_emit_by_name (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_button"), "clicked");
  g_assert_true (crm_ui_test_wait_until (login_finished, page, WAIT_MS));
  g_assert_true (crm_store_sync_is_bound (fx->store));
  /* the password is not kept, not even in the row */
  g_assert_cmpstr (gtk_editable_get_text (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "password_row")), ==, "");
  g_assert_true (gtk_widget_get_visible (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "account_group")));
  g_assert_cmpstr (adw_preferences_row_get_title (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "account_row")), ==, "anna");

  /* the lead made before: offered for upload */
  upload = find_window (fx, ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (upload);
  g_assert_cmpuint (crm_sync_engine_count_local_only (fx->engine), ==, 1);
  adw_message_dialog_response (upload, "upload");
  crm_ui_test_spin ();
  g_assert_true (crm_ui_test_wait_until (engine_idle, fx, WAIT_MS));
  if (!engine_synced (fx))
    g_assert_cmpint (sync_now (fx), ==, CRM_SYNC_STATE_SYNCED);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (template_child (fx->window, CRM_TYPE_WINDOW, "sync_indicator"))));

  /* an edit in the detail, then Sync Now */
  detail = show_lead (fx, id);
  g_assert_true (crm_lead_detail_set_field_text (detail, "title", "Roof for the town hall"));
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 1);
  g_assert_true (gtk_widget_get_visible (indicator_child (fx, "count_label")));
  /* not sent yet is no problem: said so, without a warning */
  g_assert_cmpint (crm_sync_engine_get_state (fx->engine), ==, CRM_SYNC_STATE_SYNCED);
  g_assert_cmpstr (gtk_label_get_label (indicator_child (fx, "title_label")), ==, "Changes not sent yet");
  g_assert_false (gtk_widget_has_css_class (indicator_child (fx, "button"), "warning"));
  g_assert_cmpint (sync_now (fx), ==, CRM_SYNC_STATE_SYNCED);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 0);
  g_assert_cmpstr (indicator_icon (fx), ==, "emblem-ok-symbolic");
  g_assert_false (gtk_widget_get_visible (indicator_child (fx, "count_label")));
  g_assert_cmpstr (gtk_label_get_label (indicator_child (fx, "last_sync_label")), ==, "Synced just now");
  g_assert_cmpstr (gtk_label_get_label (indicator_child (fx, "pending_label")), ==, "All changes sent");
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (indicator_child (fx, "button")), "Up to date"));

  /* the server stops: offline, and the edit waits */
  crm_test_server_stop (fx->server);
  g_assert_true (crm_lead_detail_set_field_text (detail, "probability", "55"));
  g_assert_cmpint (sync_now (fx), ==, CRM_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 1);
  g_assert_cmpstr (indicator_icon (fx), ==, "network-offline-symbolic");
  g_assert_true (gtk_widget_get_visible (indicator_child (fx, "count_label")));
  g_assert_cmpstr (gtk_label_get_label (indicator_child (fx, "count_label")), ==, "1");
  g_assert_cmpstr (gtk_label_get_label (indicator_child (fx, "pending_label")), ==, "1 change not sent yet");
  g_assert_true (gtk_widget_get_visible (indicator_child (fx, "error_label")));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (indicator_child (fx, "error_label")), "Cannot reach the server"));

  /* back: the edit goes out */
  crm_test_server_start (fx->server);
  g_assert_cmpint (sync_now (fx), ==, CRM_SYNC_STATE_SYNCED);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 0);
  g_assert_cmpstr (indicator_icon (fx), ==, "emblem-ok-symbolic");
}

/* A conflict made with a second client (leadsctl) appears on the Sync
 * Issues page; Take Mine resolves it and syncs like an edit. */
static void
test_conflict (Fixture       *fx,
               gconstpointer  data)
{
  g_autofree char *tokens = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(GListModel) conflicts = NULL;
  g_autoptr(CrmSyncConflict) conflict = NULL;
  CrmSyncPreferences *page;
  CrmSyncIssuesWindow *issues;
  CrmLeadDetail *detail;
  gint64 id;

  if (crm_ui_test_skip_without_display ())
    return;

  crm_test_server_add_user (fx->server, "anna", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_add_user (fx->server, "bob", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_start (fx->server);
  open_app (fx);

  page = login_through_preferences (fx, "anna", PASSWORD);
  g_assert_true (crm_ui_test_wait_until (login_finished, page, WAIT_MS));
  id = create_lead (fx->store, "Solar park");
  g_assert_cmpint (sync_now (fx), ==, CRM_SYNC_STATE_SYNCED);

  /* bob gets the lead */
  tokens = g_build_filename (fx->dir, "second.token", NULL);
  g_free (leadsctl (fx, PASSWORD "\n", "login", "--server", fx->url, "--user", "bob", "--token-file", tokens, NULL));
  g_free (leadsctl (fx, NULL, "sync", NULL));
  second_id = second_lead_id (fx, "Solar park");

  /* both change the probability; bob's reaches the server first */
  detail = show_lead (fx, id);
  g_assert_true (crm_lead_detail_set_field_text (detail, "probability", "30"));
  g_free (leadsctl (fx, NULL, "lead", "set", second_id, "probability=70", NULL));
  g_free (leadsctl (fx, NULL, "sync", NULL));
  sync_now (fx);
  g_assert_cmpuint (crm_store_sync_count_conflicts (fx->store), ==, 1);
  g_assert_true (gtk_widget_get_visible (indicator_child (fx, "issues_button")));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (indicator_child (fx, "issues_button"))), ==, "_1 Sync Issue…");

  /* the Sync Issues window lists it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-sync-issues", NULL));
  crm_ui_test_spin ();
  issues = find_window (fx, CRM_TYPE_SYNC_ISSUES_WINDOW);
  g_assert_nonnull (issues);
  g_assert_cmpuint (crm_sync_issues_window_get_count (issues), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (issues, CRM_TYPE_SYNC_ISSUES_WINDOW, "stack")), ==, "list");
  g_assert_nonnull (crm_ui_test_find_button (GTK_WIDGET (issues), "_Keep Theirs"));
  g_assert_nonnull (crm_ui_test_find_button (GTK_WIDGET (issues), "_Take Mine"));
  g_assert_nonnull (crm_ui_test_find_button (GTK_WIDGET (issues), "_Edit…"));

  conflicts = crm_store_sync_list_conflicts (fx->store, FALSE);
  conflict = g_list_model_get_item (conflicts, 0);
  g_assert_cmpstr (crm_sync_conflict_get_field (conflict), ==, "probability");
  g_assert_cmpstr (crm_sync_conflict_get_kept (conflict), ==, "70");
  g_assert_cmpstr (crm_sync_conflict_get_yours (conflict), ==, "30");

  /* one click: Take Mine (the button's own action) */
  g_signal_emit_by_name (crm_ui_test_find_button (GTK_WIDGET (issues), "_Take Mine"), "clicked");
  crm_ui_test_spin ();
  g_assert_cmpuint (crm_store_sync_count_conflicts (fx->store), ==, 0);
  g_assert_cmpuint (crm_sync_issues_window_get_count (issues), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (issues, CRM_TYPE_SYNC_ISSUES_WINDOW, "stack")), ==, "empty");
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), >, 0);
  g_assert_cmpint (sync_now (fx), ==, CRM_SYNC_STATE_SYNCED);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 0);
  g_assert_false (gtk_widget_get_visible (indicator_child (fx, "issues_button")));

  /* bob sees the value that was taken */
  g_free (leadsctl (fx, NULL, "sync", NULL));
  out = leadsctl (fx, NULL, "lead", "show", second_id, "--format", "json", NULL);
  shown = parse_object (out);
  g_assert_cmpint (json_object_get_int_member (shown, "probability"), ==, 30);
}

/* An account deactivated while an edit waits: the edit stays queued and
 * on screen (nothing is taken back or dropped), the header says the
 * account is deactivated and that the changes are kept, and nothing is
 * listed as refused. */
static void
test_account_disabled (Fixture       *fx,
                       gconstpointer  data)
{
  const char *disable[] = { server_binary, "--data", fx->server->data, "user", "disable", "anna", NULL };
  g_autoptr(GListModel) conflicts = NULL;
  g_autoptr(CrmLead) lead = NULL;
  CrmSyncPreferences *page;
  CrmLeadDetail *detail;
  const char *error;
  gint64 id;

  if (crm_ui_test_skip_without_display ())
    return;

  crm_test_server_add_user (fx->server, "anna", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_start (fx->server);
  open_app (fx);
  page = login_through_preferences (fx, "anna", PASSWORD);
  g_assert_true (crm_ui_test_wait_until (login_finished, page, WAIT_MS));
  id = create_lead (fx->store, "Heat pump");
  g_assert_cmpint (sync_now (fx), ==, CRM_SYNC_STATE_SYNCED);

  detail = show_lead (fx, id);
  g_assert_true (crm_lead_detail_set_field_text (detail, "probability", "60"));
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 1);
  g_free (crm_test_run (disable, NULL));

  g_assert_cmpint (sync_now (fx), ==, CRM_SYNC_STATE_PAUSED);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 1);
  error = gtk_label_get_label (indicator_child (fx, "error_label"));
  g_assert_nonnull (strstr (error, "deactivated"));
  g_assert_nonnull (strstr (error, "your changes are kept"));
  g_assert_true (gtk_widget_get_visible (indicator_child (fx, "count_label")));
  g_assert_cmpstr (gtk_label_get_label (indicator_child (fx, "pending_label")), ==, "1 change not sent yet");
  lead = crm_store_get_lead (fx->store, id, NULL);
  g_assert_cmpint (crm_lead_get_probability (lead), ==, 60);

  conflicts = crm_store_sync_list_conflicts (fx->store, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (conflicts), ==, 0);
}

/* A user without the Leads module sees why instead of the Leads views */
static void
test_no_leads_module (Fixture       *fx,
                      gconstpointer  data)
{
  CrmSyncPreferences *page;
  AdwViewStack *stack;

  if (crm_ui_test_skip_without_display ())
    return;

  crm_test_server_add_user (fx->server, "carl", PASSWORD, "contacts", FALSE);
  crm_test_server_start (fx->server);
  open_app (fx);
  stack = template_child (fx->window, CRM_TYPE_WINDOW, "view_stack");
  g_assert_false (gtk_widget_get_visible (template_child (fx->window, CRM_TYPE_WINDOW, "no_leads_status")) &&
                  adw_view_stack_page_get_visible (template_child (fx->window, CRM_TYPE_WINDOW, "no_leads_page")));

  page = login_through_preferences (fx, "carl", PASSWORD);
  g_assert_true (crm_ui_test_wait_until (login_finished, page, WAIT_MS));
  g_assert_true (crm_store_sync_is_bound (fx->store));
  crm_ui_test_spin ();

  g_assert_true (adw_view_stack_page_get_visible (template_child (fx->window, CRM_TYPE_WINDOW, "no_leads_page")));
  g_assert_false (adw_view_stack_page_get_visible (adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "leads"))));
  g_assert_false (adw_view_stack_page_get_visible (adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "pipeline"))));
  g_assert_true (adw_view_stack_page_get_visible (adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "contacts"))));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "no-leads");
  /* not the welcome page of an empty database, which offers sample leads */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (fx->window, CRM_TYPE_WINDOW, "main_stack")), ==, "content");
  g_assert_nonnull (strstr (adw_status_page_get_description (template_child (fx->window, CRM_TYPE_WINDOW, "no_leads_status")),
                            "Ask the administrator"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.new-lead", NULL) &&
                  crm_store_sync_count_pending (fx->store) > 0);
  g_assert_cmpuint (crm_store_sync_count_pending (fx->store), ==, 0);
}

/* bob (read-write) puts a lead called @title on the server with
 * leadsctl; the app logs in as dora, who may only read, and syncs. */
static CrmSyncPreferences *
open_as_reader (Fixture    *fx,
                const char *title)
{
  g_autofree char *tokens = g_build_filename (fx->dir, "second.token", NULL);
  CrmSyncPreferences *page;

  crm_test_server_add_user (fx->server, "bob", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_add_user (fx->server, "dora", PASSWORD, "leads,contacts", TRUE);
  crm_test_server_start (fx->server);
  g_free (leadsctl (fx, PASSWORD "\n", "login", "--server", fx->url, "--user", "bob", "--token-file", tokens, NULL));
  g_free (leadsctl (fx, NULL, "lead", "add", "--title", title, NULL));
  g_free (leadsctl (fx, NULL, "sync", NULL));

  open_app (fx);
  page = login_through_preferences (fx, "dora", PASSWORD);
  g_assert_true (crm_ui_test_wait_until (login_finished, page, WAIT_MS));
  g_assert_true (crm_ui_test_wait_until (engine_idle, fx, WAIT_MS));
  if (!engine_synced (fx))
    g_assert_cmpint (sync_now (fx), ==, CRM_SYNC_STATE_SYNCED);
  return page;
}

/* A read-only user sees the leads but cannot edit them, and nothing is
 * queued. */
static void
test_read_only (Fixture       *fx,
                gconstpointer  data)
{
  CrmSyncPreferences *page;
  CrmLeadDetail *detail;
  CrmLeadsView *view;
  g_autoptr(CrmLead) lead = NULL;
  g_autoptr(GListModel) ids = NULL;
  GtkWidget *group;
  gint64 id = 0;

  if (crm_ui_test_skip_without_display ())
    return;

  page = open_as_reader (fx, "Shared lead");
  g_assert_true (crm_store_sync_get_read_only (fx->store));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "rights_row")),
                            "Read only"));

  view = crm_window_get_leads_view (fx->window);
  {
    CrmLeadListModel *model = crm_leads_view_get_model (view);
    g_autoptr(GError) error = NULL;

    g_assert_true (crm_ui_test_wait_until ((CrmUiTestCondition) g_list_model_get_n_items, model, WAIT_MS));
    lead = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (crm_lead_get_title (lead), ==, "Shared lead");
    id = crm_lead_get_id (lead);
  }

  detail = show_lead (fx, id);
  g_assert_true (crm_lead_detail_get_lead (detail) != NULL);
  g_assert_true (crm_lead_detail_get_read_only (detail));
  group = template_child (detail, CRM_TYPE_LEAD_DETAIL, "opportunity_group");
  g_assert_false (gtk_widget_get_sensitive (group));
  /* and it says why */
  g_assert_true (gtk_widget_get_visible (template_child (detail, CRM_TYPE_LEAD_DETAIL, "read_only_box")));

  /* every editing action is off: its buttons are insensitive */
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (fx->window), "win.new-lead")));
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (detail), "lead.won")));
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (detail), "lead.lost")));
  g_assert_false (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (detail), "lead.new-report")));
  /* activated anyway (a shortcut), nothing changes and nothing is queued */
  for (const char * const *name = (const char * const[]) { "lead.won", "lead.lost", "lead.delete", "lead.duplicate",
                                                          "lead.next-phase", NULL };
       *name != NULL; name++)
    gtk_widget_activate_action (GTK_WIDGET (view), *name, NULL);
  gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.new-lead", NULL);
  crm_ui_test_spin ();
  g_assert_cmpuint (crm_store_sync_count_pending (fx->store), ==, 0);
  g_assert_cmpstr (crm_lead_get_status_label (lead), !=, "Won");

  /* and the store refuses an edit that gets through: nothing queued */
  g_assert_false (crm_lead_detail_set_field_text (detail, "title", "Changed by a reader"));
  g_assert_cmpuint (crm_store_sync_count_pending (fx->store), ==, 0);
  g_assert_cmpuint (crm_sync_engine_get_pending_count (fx->engine), ==, 0);
  g_assert_cmpstr (crm_lead_get_title (lead), ==, "Shared lead");
}

/* ------------------------------------------------------------ screenshots */

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
skip_without_screenshots (void)
{
  if (g_getenv ("LEADS_SCREENSHOT_DIR") == NULL)
    {
      g_test_skip ("set LEADS_SCREENSHOT_DIR to take pictures");
      return TRUE;
    }
  return crm_ui_test_skip_without_display ();
}

/* @widget as DIR/NAME.png when LEADS_SCREENSHOT_DIR is set */
static void
shot (GtkWidget  *widget,
      const char *name)
{
  const char *dir = g_getenv ("LEADS_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  /* let the frame clock lay it out and draw it (pictures only) */
  crm_ui_test_wait_until (never, NULL, 600);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* A broken server: every request gets a 500 (in the service's thread) */
static gboolean
answer_500 (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source,
            gpointer                data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  char request[4096];
  static const char reply[] = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  /* the request's head is enough: the answer is the same for all */
  g_input_stream_read (in, request, sizeof request, NULL, NULL);
  g_output_stream_write_all (out, reply, sizeof reply - 1, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* Not a check: pictures of the sync UI for the docs and for review, in the
 * locale of LEADS_SCREENSHOT_LOCALE (with LEADS_SCREENSHOT_LOCALEDIR, the
 * build's po/ folder). Skipped unless LEADS_SCREENSHOT_DIR is set. One
 * case per process, e.g. in German:
 *
 *   LEADS_SCREENSHOT_DIR=/tmp/shots LEADS_SCREENSHOT_LOCALE=de_DE.UTF-8 \
 *   LEADS_SCREENSHOT_LOCALEDIR=$PWD/build/po GSETTINGS_SCHEMA_DIR=build/data \
 *   GSETTINGS_BACKEND=memory dbus-run-session -- xvfb-run -a \
 *     build/tests/ui/test-sync-ui build/src/server/leads-server \
 *     build/src/cli/leadsctl -p /ui/sync/screenshots
 *
 * (and -p /ui/sync/screenshots-no-leads, -p /ui/sync/screenshots-read-only).
 * Synced, syncing, offline, needs attention (a stand-in server that
 * answers 500), the logout warning, the upload offer, Sync Issues empty
 * and with a conflict and a rejection. */
static void
test_screenshots (Fixture       *fx,
                  gconstpointer  data)
{
  g_autofree char *tokens = NULL;
  g_autofree char *second_id = NULL;
  g_autoptr(GError) error = NULL;
  CrmSyncPreferences *page;
  CrmLeadDetail *detail;
  GtkWidget *prefs;
  gint64 id;

  if (skip_without_screenshots ())
    return;

  crm_test_server_add_user (fx->server, "anna", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_add_user (fx->server, "bob", PASSWORD, "leads,contacts", FALSE);
  crm_test_server_start (fx->server);
  open_app (fx);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1100, 700);
  g_assert_true (crm_store_load_sample (fx->store, &error));
  g_assert_no_error (error);

  page = login_through_preferences (fx, "anna", "wrong password");
  g_assert_true (crm_ui_test_wait_until (login_finished, page, WAIT_MS));
  prefs = GTK_WIDGET (find_window (fx, CRM_TYPE_PREFERENCES_WINDOW));
  shot (prefs, "preferences-login-error");
  gtk_editable_set_text (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "password_row"), PASSWORD);
  g_signal_emit_by_name (template_child (page, CRM_TYPE_SYNC_PREFERENCES, "login_button"), "clicked");
  g_assert_true (crm_ui_test_wait_until (login_finished, page, WAIT_MS));
  shot (GTK_WIDGET (find_window (fx, ADW_TYPE_MESSAGE_DIALOG)), "upload-offer");
  adw_message_dialog_response (find_window (fx, ADW_TYPE_MESSAGE_DIALOG), "upload");
  crm_ui_test_spin ();
  g_assert_true (crm_ui_test_wait_until (engine_idle, fx, WAIT_MS));
  sync_now (fx);
  shot (prefs, "preferences-team-server");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* synced, nothing open */
  gtk_menu_button_popup (indicator_child (fx, "button"));
  shot (indicator_child (fx, "popover"), "indicator-synced");
  gtk_menu_button_popdown (indicator_child (fx, "button"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-sync-issues", NULL));
  shot (GTK_WIDGET (find_window (fx, CRM_TYPE_SYNC_ISSUES_WINDOW)), "sync-issues-empty");
  gtk_window_destroy (find_window (fx, CRM_TYPE_SYNC_ISSUES_WINDOW));

  /* syncing: the server is stopped (SIGSTOP) while a round waits for it */
  g_subprocess_send_signal (fx->server->process, SIGSTOP);
  g_action_group_activate_action (G_ACTION_GROUP (fx->app), "sync", NULL);
  /* not crm_ui_test_spin (): the spinner's frames keep the loop busy */
  g_assert_true (crm_ui_test_wait_until (engine_syncing, fx, WAIT_MS));
  gtk_menu_button_popup (indicator_child (fx, "button"));
  shot (indicator_child (fx, "popover"), "indicator-syncing");
  shot (indicator_child (fx, "button"), "indicator-syncing-button");
  gtk_menu_button_popdown (indicator_child (fx, "button"));
  g_subprocess_send_signal (fx->server->process, SIGCONT);
  g_assert_true (crm_ui_test_wait_until (engine_idle, fx, WAIT_MS));

  /* bob and anna change the same lead */
  {
    g_autoptr(CrmLead) lead = g_list_model_get_item (G_LIST_MODEL (crm_leads_view_get_model (crm_window_get_leads_view (fx->window))), 0);
    g_autofree char *title = g_strdup (crm_lead_get_title (lead));

    id = crm_lead_get_id (lead);
    tokens = g_build_filename (fx->dir, "second.token", NULL);
    g_free (leadsctl (fx, PASSWORD "\n", "login", "--server", fx->url, "--user", "bob", "--token-file", tokens, NULL));
    g_free (leadsctl (fx, NULL, "sync", NULL));
    second_id = second_lead_id (fx, title);
  }
  detail = show_lead (fx, id);
  crm_lead_detail_set_field_text (detail, "probability", "35");
  g_free (leadsctl (fx, NULL, "lead", "set", second_id, "probability=80", NULL));
  g_free (leadsctl (fx, NULL, "sync", NULL));
  sync_now (fx);

  /* offline with pending edits */
  crm_test_server_stop (fx->server);
  detail = show_lead (fx, id + 1);
  crm_lead_detail_set_field_text (detail, "probability", "45");
  sync_now (fx);
  gtk_menu_button_popup (indicator_child (fx, "button"));
  shot (GTK_WIDGET (fx->window), "window-offline");
  shot (indicator_child (fx, "popover"), "indicator-offline");
  gtk_menu_button_popdown (indicator_child (fx, "button"));

  /* a server that answers 500: needs attention */
  {
    g_autoptr(GSocketService) broken = g_threaded_socket_service_new (2);

    g_assert_true (g_socket_listener_add_inet_port (G_SOCKET_LISTENER (broken), fx->server->port, NULL, &error));
    g_assert_no_error (error);
    g_signal_connect (broken, "run", G_CALLBACK (answer_500), NULL);
    g_socket_service_start (broken);
    sync_now (fx);
    g_socket_service_stop (broken);
    g_socket_listener_close (G_SOCKET_LISTENER (broken));
  }
  gtk_menu_button_popup (indicator_child (fx, "button"));
  shot (indicator_child (fx, "popover"), "indicator-needs-attention");
  gtk_menu_button_popdown (indicator_child (fx, "button"));

  /* logging out with the edit still unsent asks first */
  g_action_group_activate_action (G_ACTION_GROUP (fx->app), "logout", NULL);
  crm_ui_test_spin ();
  shot (GTK_WIDGET (find_window (fx, ADW_TYPE_MESSAGE_DIALOG)), "logout-unsent");
  adw_message_dialog_response (find_window (fx, ADW_TYPE_MESSAGE_DIALOG), "cancel");
  crm_ui_test_spin ();

  /* anna becomes read-only on the server: her edit comes back refused */
  {
    const char *argv[] = { server_binary, "--data", fx->server->data, "user", "set", "anna", "--read-only", NULL };

    g_free (crm_test_run (argv, NULL));
  }
  crm_test_server_start (fx->server);
  sync_now (fx);
  shot (GTK_WIDGET (fx->window), "window-became-read-only");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-sync-issues", NULL));
  gtk_window_set_default_size (find_window (fx, CRM_TYPE_SYNC_ISSUES_WINDOW), 640, 560);
  shot (GTK_WIDGET (find_window (fx, CRM_TYPE_SYNC_ISSUES_WINDOW)), "sync-issues");
}

/* Not a check: the page a user without the Leads module sees. */
static void
test_screenshots_no_leads (Fixture       *fx,
                           gconstpointer  data)
{
  CrmSyncPreferences *page;

  if (skip_without_screenshots ())
    return;

  crm_test_server_add_user (fx->server, "carl", PASSWORD, "contacts", FALSE);
  crm_test_server_start (fx->server);
  open_app (fx);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1100, 700);
  page = login_through_preferences (fx, "carl", PASSWORD);
  g_assert_true (crm_ui_test_wait_until (login_finished, page, WAIT_MS));
  g_assert_true (crm_ui_test_wait_until (engine_idle, fx, WAIT_MS));
  gtk_window_destroy (GTK_WINDOW (find_window (fx, CRM_TYPE_PREFERENCES_WINDOW)));
  shot (GTK_WIDGET (fx->window), "window-no-leads-module");
  /* narrow: the page still reads */
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 360, 640);
  shot (GTK_WIDGET (fx->window), "window-no-leads-module-narrow");
}

/* Not a check: what a read-only user sees. */
static void
test_screenshots_read_only (Fixture       *fx,
                            gconstpointer  data)
{
  CrmSyncPreferences *page;

  if (skip_without_screenshots ())
    return;

  page = open_as_reader (fx, "Rahmenvertrag Wartung 2027");
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1100, 700);
  shot (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (page))), "preferences-read-only");
  gtk_window_destroy (GTK_WINDOW (find_window (fx, CRM_TYPE_PREFERENCES_WINDOW)));
  {
    CrmLeadListModel *model = crm_leads_view_get_model (crm_window_get_leads_view (fx->window));
    g_autoptr(CrmLead) lead = NULL;

    g_assert_true (crm_ui_test_wait_until ((CrmUiTestCondition) g_list_model_get_n_items, model, WAIT_MS));
    lead = g_list_model_get_item (G_LIST_MODEL (model), 0);
    show_lead (fx, crm_lead_get_id (lead));
  }
  shot (GTK_WIDGET (fx->window), "window-read-only");
}

/* ------------------------------------------------------------------- main */

int
main (int   argc,
      char *argv[])
{
  crm_ui_test_init (&argc, &argv, "test-sync-ui");
  if (g_getenv ("LEADS_SCREENSHOT_LOCALE") != NULL)
    {
      setlocale (LC_ALL, g_getenv ("LEADS_SCREENSHOT_LOCALE"));
      g_setenv ("LANGUAGE", g_getenv ("LEADS_SCREENSHOT_LOCALE"), TRUE);
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LEADS_SCREENSHOT_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }

  if (argc < 3)
    {
      g_printerr ("usage: %s LEADS_SERVER LEADSCTL\n", argv[0]);
      return 1;
    }
  server_binary = argv[1];
  leadsctl_binary = argv[2];

#define ADD(path, func) \
  g_test_add ("/ui/sync/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("login-edit-offline", test_login_edit_offline);
  ADD ("conflict", test_conflict);
  ADD ("no-leads-module", test_no_leads_module);
  ADD ("read-only", test_read_only);
  ADD ("account-disabled", test_account_disabled);
  ADD ("screenshots", test_screenshots);
  ADD ("screenshots-no-leads", test_screenshots_no_leads);
  ADD ("screenshots-read-only", test_screenshots_read_only);

#undef ADD

  return crm_ui_test_run ();
}
