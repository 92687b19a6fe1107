/* crm-sync-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the sync indicator, the Team server page and the lead list say
 * about sync, in one place: the state's icon and title, "Synced 2 minutes
 * ago", the pending count, a record's sync state, and the Log out
 * confirmation that warns about unsent changes.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-store-sync.h"
#include "crm-sync-ui.h"
#include "crm-window.h"

/**
 * crm_sync_ui_format_when:
 * @at: µs since 1970
 * @now: µs since 1970
 *
 * When something happened, as people say it: "just now", "5 minutes ago",
 * "2 hours ago" within a day, else the local date and time in the
 * locale's format.
 */
char *
crm_sync_ui_format_when (gint64 at,
                         gint64 now)
{
  gint64 minutes = MAX (now - at, 0) / (60 * G_USEC_PER_SEC);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", (gulong) minutes),
                            (int) minutes);
  if (minutes < 24 * 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", (gulong) (minutes / 60)),
                            (int) (minutes / 60));

  utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  local = g_date_time_to_local (utc);
  /* TRANSLATORS: a date and time, see g_date_time_format(); %x is the locale's date */
  return g_date_time_format (local, _("%x, %H:%M"));
}

/**
 * crm_sync_ui_describe_last_sync:
 * @last_sync: µs since 1970, 0: never
 * @now: µs since 1970
 */
char *
crm_sync_ui_describe_last_sync (gint64 last_sync,
                                gint64 now)
{
  g_autofree char *when = NULL;

  if (last_sync <= 0)
    return g_strdup (_("Not synced yet"));

  when = crm_sync_ui_format_when (last_sync, now);
  if (now - last_sync < (gint64) 24 * 60 * 60 * G_USEC_PER_SEC)
    /* TRANSLATORS: %s is "just now", "5 minutes ago" or "2 hours ago" */
    return g_strdup_printf (_("Synced %s"), when);
  /* TRANSLATORS: %s is a date and time */
  return g_strdup_printf (_("Last synced %s"), when);
}

const char *
crm_sync_ui_state_icon (CrmSyncState state)
{
  switch (state)
    {
    case CRM_SYNC_STATE_SYNCED: return "emblem-ok-symbolic";
    case CRM_SYNC_STATE_SYNCING: return "emblem-synchronizing-symbolic";
    case CRM_SYNC_STATE_OFFLINE: return "network-offline-symbolic";
    case CRM_SYNC_STATE_NEEDS_ATTENTION:
    case CRM_SYNC_STATE_PAUSED: return "dialog-warning-symbolic";
    case CRM_SYNC_STATE_DISABLED:
    default: return "network-server-symbolic";
    }
}

/* @pending: local changes not sent yet; with them, "synced" (no problem
 * known) is not "up to date" */
const char *
crm_sync_ui_state_title (CrmSyncState state,
                         guint        pending)
{
  switch (state)
    {
    case CRM_SYNC_STATE_SYNCED: return pending > 0 ? _("Changes not sent yet") : _("Up to date");
    case CRM_SYNC_STATE_SYNCING: return _("Syncing…");
    case CRM_SYNC_STATE_OFFLINE: return _("Offline");
    case CRM_SYNC_STATE_NEEDS_ATTENTION: return _("Sync needs attention");
    case CRM_SYNC_STATE_PAUSED: return _("Sync paused");
    case CRM_SYNC_STATE_DISABLED:
    default: return _("Not connected to a team server");
    }
}

char *
crm_sync_ui_describe_pending (guint pending)
{
  if (pending == 0)
    return g_strdup (_("All changes sent"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change not sent yet", "%u changes not sent yet", pending),
                          pending);
}

const char *
crm_sync_ui_record_state_icon (CrmRecordSyncState state)
{
  switch (state)
    {
    case CRM_RECORD_SYNC_PENDING: return "document-send-symbolic";
    case CRM_RECORD_SYNC_CONFLICT: return "dialog-warning-symbolic";
    case CRM_RECORD_SYNC_LOCAL_ONLY:
    case CRM_RECORD_SYNC_SYNCED:
    default: return NULL;
    }
}

const char *
crm_sync_ui_record_state_text (CrmRecordSyncState state)
{
  switch (state)
    {
    case CRM_RECORD_SYNC_LOCAL_ONLY: return _("Only on this computer");
    case CRM_RECORD_SYNC_PENDING: return _("Changed here, not sent yet");
    case CRM_RECORD_SYNC_CONFLICT: return _("Sync issue: resolve it in Sync Issues");
    case CRM_RECORD_SYNC_SYNCED:
    default: return _("Synced");
    }
}

/* Whether the bound user may see @module; a database without a team
 * server has every module. */
gboolean
crm_sync_ui_has_module (CrmSyncEngine *engine,
                        const char    *module)
{
  g_auto(GStrv) modules = NULL;

  if (engine == NULL || !crm_store_sync_is_bound (crm_sync_engine_get_store (engine)))
    return TRUE;

  modules = crm_store_sync_dup_modules (crm_sync_engine_get_store (engine));
  return g_strv_contains ((const char * const *) modules, module);
}

/* ---------------------------------------------------------------- sync now */

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  /* the engine's state and :last-error say how it went */
  crm_sync_engine_sync_finish (CRM_SYNC_ENGINE (source), result, NULL);
}

/* A round now, for the user: the indicator shows how it goes. */
void
crm_sync_ui_sync_now (CrmSyncEngine *engine)
{
  g_return_if_fail (CRM_IS_SYNC_ENGINE (engine));

  crm_sync_engine_sync_async (engine, NULL, on_sync_done, NULL);
}

/* ----------------------------------------------------------------- logout */

static void
on_logout_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!crm_sync_engine_logout_finish (CRM_SYNC_ENGINE (source), result, &error))
    {
      if (CRM_IS_WINDOW (parent))
        crm_window_show_error (CRM_WINDOW (parent), error);
      else
        g_warning ("%s", error->message);
    }
}

static void
logout (GtkWindow     *parent,
        CrmSyncEngine *engine)
{
  crm_sync_engine_logout_async (engine, NULL, on_logout_done, parent ? g_object_ref (parent) : NULL);
}

static void
on_logout_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CrmSyncEngine    *engine)
{
  if (g_strcmp0 (response, "logout") == 0)
    logout (gtk_window_get_transient_for (GTK_WINDOW (dialog)), engine);
}

/**
 * crm_gui_confirm_logout:
 *
 * Logs out at once when everything is sent; otherwise asks first (the
 * unsent changes stay in this database and go out after the next login,
 * but nobody else sees them until then).
 */
void
crm_gui_confirm_logout (GtkWindow     *parent,
                        CrmSyncEngine *engine)
{
  GtkWidget *dialog;
  guint pending;

  g_return_if_fail (CRM_IS_SYNC_ENGINE (engine));

  pending = crm_sync_engine_get_pending_count (engine);
  if (pending == 0)
    {
      logout (parent, engine);
      return;
    }

  dialog = adw_message_dialog_new (parent, _("Log Out With Unsent Changes?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u change has not reached the team server yet. It stays on this computer and is sent after you log in again; until then nobody else sees it.",
                                               "%u changes have not reached the team server yet. They stay on this computer and are sent after you log in again; until then nobody else sees them.",
                                               pending),
                                  pending);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "logout", _("_Log Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "logout", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_logout_response), engine, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
