/* crm-ui-test.c: what the GUI test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every GUI test program runs in the C.UTF-8 locale (predictable money
 * formats), with HOME and the XDG folders in a temporary folder (GTK, Mesa
 * and dconf write there), the app's resources registered, and GTK and
 * libadwaita initialised when a display can be opened.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "crm-application.h"
#include "crm-test-server.h"
#include "crm-ui-test.h"

static char *tmp_dir;
static gboolean have_display;

static void
remove_recursively (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_recursively (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_remove (path);
}

/**
 * crm_ui_test_init:
 * @name: the program's name, for its temporary folder
 *
 * Returns: whether a display could be opened; without one the tests
 *   skip with a reason instead of failing.
 */
/* Criticals fail a test, except one about the environment: the session's
 * accessibility bus (at-spi, shared by the GUI tests that run at once)
 * can be gone for a moment, and GTK says so as a critical. That is not a
 * fault of the code under test; it must not fail (or, with a leads-server
 * child holding the output open, hang) the run. */
static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "Gtk") == 0 && message != NULL &&
      g_str_has_prefix (message, "Unable to connect to the accessibility bus"))
    return FALSE;
  return TRUE;
}

gboolean
crm_ui_test_init (int          *argc,
                  char       ***argv,
                  const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("leads-%s-XXXXXX", name);

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "C", TRUE);

  tmp_dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  g_setenv ("HOME", tmp_dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", tmp_dir, TRUE);
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", tmp_dir, TRUE);
  g_setenv ("XDG_STATE_HOME", tmp_dir, TRUE);

  crm_gui_register_resources ();
  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();
  g_test_init (argc, argv, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);

  return have_display;
}

/* In a test: TRUE (and the test skipped) when there is no display. */
gboolean
crm_ui_test_skip_without_display (void)
{
  if (!have_display)
    {
      g_test_skip ("no display: run under xvfb-run (gtk_init_check() failed)");
      return TRUE;
    }
  return FALSE;
}

gboolean
crm_ui_test_wait_until (CrmUiTestCondition  condition,
                        gpointer            data,
                        guint               timeout_ms)
{
  return crm_test_wait_until (condition, data, timeout_ms);
}

/* Runs what is pending in the default main context */
void
crm_ui_test_spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The button below @widget with the label @label (mnemonic included) */
GtkButton *
crm_ui_test_find_button (GtkWidget  *widget,
                         const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found = crm_ui_test_find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The template child @name of @widget (of its class @type); fails the
 * test when there is none. */
gpointer
crm_ui_test_template_child (gpointer    widget,
                            GType       type,
                            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  if (child == NULL)
    g_error ("%s has no template child “%s”", G_OBJECT_TYPE_NAME (widget), name);

  return child;
}

const char *
crm_ui_test_tmp_dir (void)
{
  return tmp_dir;
}

int
crm_ui_test_run (void)
{
  int ret = g_test_run ();

  remove_recursively (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return ret;
}
