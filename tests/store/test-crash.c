/* test-crash.c: SIGKILL in the middle of writing loses nothing committed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The program runs itself again as a child ("--child DB FD SEED") that
 * keeps creating leads, changing them and adding reports.  After each
 * store call has returned (so its transaction committed), the child
 * writes a line about it to a pipe.  The parent kills it with SIGKILL
 * after a random delay, opens the database and checks that it is intact
 * and holds every change the child reported.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crm-test-util.h"

#define N_ROUNDS 5

static const char *self_path;

/* ------------------------------------------------------------- the child */

static void
report (int         fd,
        char        what,
        gint64      id,
        int         probability)
{
  char line[64];
  int len = g_snprintf (line, sizeof line, "%c %" G_GINT64_FORMAT " %d\n", what, id, probability);
  const char *p = line;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        _exit (3);
      p += n;
      len -= n;
    }
}

static int
run_child (const char *path,
           int         fd,
           guint32     seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) probs = g_array_new (FALSE, FALSE, sizeof (int));
  CrmStore *store = crm_store_open (path, &error);

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 2;
    }
  crm_store_set_author (store, "Crasher");

  for (guint i = 0; ; i++)
    {
      int op = ids->len == 0 ? 0 : g_rand_int_range (rand, 0, 3);

      if (op == 0)
        {
          g_autofree char *title = g_strdup_printf ("Crash lead %u-%u", seed, i);
          int probability = g_rand_int_range (rand, 0, 101);
          g_autofree char *prob_text = g_strdup_printf ("%d", probability);
          CrmFieldValue values[] = {
            { "title", title }, { "probability", prob_text }, { "volume_minor", "12345" },
            { "description", "Written by the crash test" },
          };
          gint64 id = crm_store_create_lead (store, values, G_N_ELEMENTS (values), &error);

          if (id <= 0)
            {
              g_printerr ("child: %s\n", error->message);
              return 2;
            }
          g_array_append_val (ids, id);
          g_array_append_val (probs, probability);
          report (fd, 'L', id, probability);
        }
      else
        {
          guint k = g_rand_int_range (rand, 0, ids->len);
          gint64 id = g_array_index (ids, gint64, k);
          int probability = g_rand_int_range (rand, 0, 101);

          if (probability == g_array_index (probs, int, k))
            probability = (probability + 1) % 101;

          if (op == 1)
            {
              g_autofree char *prob_text = g_strdup_printf ("%d", probability);
              CrmFieldValue values[] = { { "probability", prob_text }, { "owner", i % 2 ? "Anna" : "Bob" } };

              if (!crm_store_update_lead (store, id, values, G_N_ELEMENTS (values), &error))
                {
                  g_printerr ("child: %s\n", error->message);
                  return 2;
                }
            }
          else if (crm_store_add_activity (store, id, "call", 1700000000 + i, "Crash call",
                                           "A report written just before the crash", probability, NULL, &error) <= 0)
            {
              g_printerr ("child: %s\n", error->message);
              return 2;
            }
          g_array_index (probs, int, k) = probability;
          report (fd, op == 1 ? 'U' : 'A', id, probability);
        }
    }

  return 0;
}

/* ------------------------------------------------------------ the parent */

static void
drain (int      fd,
       GString *out,
       int      timeout_ms)
{
  struct pollfd pfd = { fd, POLLIN, 0 };
  char buf[4096];

  if (poll (&pfd, 1, timeout_ms) <= 0)
    return;
  for (;;)
    {
      ssize_t n = read (fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      g_string_append_len (out, buf, n);
      if (timeout_ms >= 0)
        return;
    }
}

static void
check_round (const char *path,
             const char *log,
             guint      *n_checked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  guint n_lines = g_strv_length (lines);
  guint n_unreported = 0;
  CrmStore *store;
  sqlite3 *raw;

  store = crm_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (crm_store_check_integrity (store, &error));
  g_assert_no_error (error);
  raw = crm_test_raw_open (path);
  g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  /* The last element is the text after the last newline: not a whole line. */
  for (guint i = 0; i + 1 < n_lines; i++)
    {
      char what;
      long long id;
      int probability;

      g_assert_cmpint (sscanf (lines[i], "%c %lld %d", &what, &id, &probability), ==, 3);
      g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM lead WHERE id = %lld AND deleted = 0", id), ==, 1);
      if (what == 'U' || what == 'A')
        g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM lead_event WHERE lead_id = %lld AND field = 'probability' "
                                                "AND new_value = '%d' AND author = 'Crasher'", id, probability), >=, 1);
      if (what == 'A')
        g_assert_cmpint (crm_test_raw_int (raw, "SELECT count(*) FROM activity a JOIN lead_event e ON e.activity_id = a.id "
                                                "WHERE a.lead_id = %lld AND e.new_value = '%d'", id, probability), >=, 1);
      g_hash_table_insert (expected, g_memdup2 (&id, sizeof (gint64)), GINT_TO_POINTER (probability + 1));
      (*n_checked)++;
    }

  /* Each lead has the probability reported last. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, expected);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_autoptr(CrmLead) lead = crm_store_get_lead (store, *(gint64 *) key, &error);

        int reported = GPOINTER_TO_INT (value) - 1;
        gint64 lead_id = *(gint64 *) key;
        int actual;

        g_assert_no_error (error);
        actual = crm_lead_get_probability (lead);

        if (actual != reported)
          {
            g_autofree char *last_event = NULL;

            /* The one store call in flight when the child was killed may have
             * committed without being reported: then it is the newest change
             * of that lead, made from the reported value, and there is only
             * one such lead. */
            g_test_message ("lead %" G_GINT64_FORMAT ": reported %d, found %d (unreported last commit)",
                            lead_id, reported, actual);
            g_assert_cmpuint (++n_unreported, ==, 1);
            last_event = crm_test_raw_text (raw, "SELECT old_value || '>' || new_value FROM lead_event "
                                                 "WHERE lead_id = %lld AND field = 'probability' ORDER BY id DESC LIMIT 1",
                                            (long long) lead_id);
            g_assert_nonnull (last_event);
            {
              g_autofree char *expected_event = g_strdup_printf ("%d>%d", reported, actual);

              g_assert_cmpstr (last_event, ==, expected_event);
            }
            /* …and nothing was written after it */
            g_assert_cmpint (crm_test_raw_int (raw, "SELECT max(id) FROM lead_event WHERE field = 'probability'"), ==,
                             crm_test_raw_int (raw, "SELECT max(id) FROM lead_event WHERE lead_id = %lld AND field = 'probability'",
                                               (long long) lead_id));
          }
        g_assert_cmpint (crm_test_raw_int (raw, "SELECT probability FROM lead WHERE id = %lld", (long long) lead_id), ==, actual);
      }
  }

  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
  g_assert_finalize_object (store);
}

static void
test_crash (void)
{
  g_autofree char *dir = crm_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "crash.db", NULL);
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint n_checked = 0;

  g_test_message ("crash test seed: %u", seed);

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autoptr(GString) log = g_string_new (NULL);
      int fds[2];
      pid_t pid;
      gint64 deadline;
      int status;
      guint delay_ms = g_rand_int_range (rand, 50, 500);
      guint32 child_seed = g_rand_int (rand);

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          char fd_text[16], seed_text[16];
          char *args[] = { (char *) self_path, (char *) "--child", path, fd_text, seed_text, NULL };

          close (fds[0]);
          g_snprintf (fd_text, sizeof fd_text, "%d", fds[1]);
          g_snprintf (seed_text, sizeof seed_text, "%u", child_seed);
          execv (self_path, args);
          _exit (127);
        }
      close (fds[1]);

      deadline = g_get_monotonic_time () + delay_ms * 1000;
      while (g_get_monotonic_time () < deadline)
        drain (fds[0], log, 5);
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      drain (fds[0], log, -1);
      close (fds[0]);

      /* Killed by us, not dead of its own accord. */
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      g_test_message ("round %u: killed after %u ms, %" G_GSIZE_FORMAT " bytes of reports",
                      round, delay_ms, log->len);

      check_round (path, log->str, &n_checked);
    }

  /* The child must have got some work done, or nothing was tested. */
  g_assert_cmpuint (n_checked, >, 0);
  crm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 5 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], atoi (argv[3]), (guint32) g_ascii_strtoull (argv[4], NULL, 10));

  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/crash/sigkill", test_crash);

  return g_test_run ();
}
