/* bench.c: leads-bench, the scale benchmark of the store and the list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generates N leads into a database file once (or reuses it), then in a
 * fresh process, as the app would on start-up, measures what a user waits
 * for: opening the cache and seeing the first page of the lead list, a
 * sort change, a search keystroke, the footer totals, and the memory it
 * all takes. Every step goes through the public API that the app uses
 * (CrmStore, CrmLeadListModel on a GMainLoop); no GTK.
 *
 * "First page" means: CrmLeadListModel created, its filter set, the main
 * loop run until the model is no longer :loading (ids and totals are in),
 * and the first 50 items built with g_list_model_get_item(), as a column
 * view would on its first frame. The moment the first 50 rows could be
 * shown (first ::items-changed that covers them) is printed as well.
 *
 *   leads-bench [--count N] [--db PATH] [--seed S] [--repeat R] [--stats]
 *
 * With --stats it measures the statistics instead (measure_stats ()):
 * each statistic in process, beside the same SQL run by the sqlite3 shell
 * on the same file as the reference, and the time from an edit to fresh
 * figures.
 *
 * The exit status is 1 when a target is missed.
 */
#define G_LOG_DOMAIN "leads-bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench-util.h"
#include "crm-lead-list-model.h"
#include "crm-month.h"
#include "crm-store.h"
#include "crm-store-private.h"   /* _crm_lead_list_model_get_n_reused () */

#define PAGE 50

/* Targets from the issue */
#define TARGET_FIRST_PAGE_MS 400.0
#define TARGET_SEARCH_MS      30.0
#define TARGET_RSS_MB        200.0
#define TARGET_STATS_MS       50.0
#define TARGET_FRESH_MS      100.0

/* ------------------------------------------------------------ structures */

typedef struct {
  const char *name;
  GArray     *samples;   /* double, ms */
  GArray     *cpu;       /* double, ms of CPU time of the whole process */
  double      target;    /* ms or MB; 0 for none */
  const char *unit;
} Step;

typedef struct {
  GMainLoop *loop;
  gint64     start;
  gint64     first_page_at;   /* µs after start when ≥ PAGE rows (or all) were there */
  guint      expected;        /* not known before the first result: 0 */
} Wait;

/* ------------------------------------------------------------- statics */

static guint64 opt_count = 1000000;
static char *opt_db = NULL;
static guint opt_seed = 2026;
static int opt_repeat = 5;
static gboolean opt_measure_only = FALSE;
static gboolean opt_generate_only = FALSE;
static gboolean opt_stats = FALSE;
static gboolean opt_measure_stats = FALSE;
static char *opt_status = NULL;

static GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT64, &opt_count, "Leads to generate (default 1000000)", "N" },
  { "db", 'd', 0, G_OPTION_ARG_FILENAME, &opt_db, "Database file; generated when missing or empty, reused otherwise", "PATH" },
  { "seed", 's', 0, G_OPTION_ARG_INT, &opt_seed, "Seed of the generated data (default 2026)", "S" },
  { "repeat", 'r', 0, G_OPTION_ARG_INT, &opt_repeat, "Repetitions of each timed step (default 5)", "R" },
  { "status", 0, 0, G_OPTION_ARG_STRING, &opt_status, "Status filter of the list: any, open (default, as the app starts), won, lost", "S" },
  { "stats", 0, 0, G_OPTION_ARG_NONE, &opt_stats, "Measure the statistics (by status, phase, month) instead of the list", NULL },
  { "measure-only", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_measure_only, NULL, NULL },
  { "measure-stats", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_measure_stats, NULL, NULL },
  { "generate-only", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_generate_only, NULL, NULL },
  { NULL }
};

/* ------------------------------------------------------------- helpers */

static double
minimum (GArray *samples)
{
  double m = G_MAXDOUBLE;

  for (guint i = 0; i < samples->len; i++)
    m = MIN (m, g_array_index (samples, double, i));
  return samples->len ? m : 0;
}

static double
maximum (GArray *samples)
{
  double m = 0;

  for (guint i = 0; i < samples->len; i++)
    m = MAX (m, g_array_index (samples, double, i));
  return m;
}

static Step *
step_new (const char *name,
          double      target,
          const char *unit)
{
  Step *step = g_new0 (Step, 1);

  step->name = name;
  step->target = target;
  step->unit = unit;
  step->samples = g_array_new (FALSE, FALSE, sizeof (double));
  step->cpu = g_array_new (FALSE, FALSE, sizeof (double));
  return step;
}

static void
step_free (gpointer data)
{
  Step *step = data;

  g_array_unref (step->samples);
  g_array_unref (step->cpu);
  g_free (step);
}

static void
step_add (Step   *step,
          double  value)
{
  g_array_append_val (step->samples, value);
}

/* "50 ms", or "-" without a target */
static char *
step_target (Step *step)
{
  return step->target > 0 ? g_strdup_printf ("%.0f %s", step->target, step->unit) : g_strdup ("-");
}

/* "pass", "FAIL" (clearing *pass) or "" without a target, by the median */
static const char *
step_verdict (Step     *step,
              gboolean *pass)
{
  if (step->target <= 0)
    return "";
  if (bench_median (step->samples) <= step->target)
    return "pass";
  *pass = FALSE;
  return "FAIL";
}

/* CPU time (user + system) of all threads, in ms */
static double
cpu_ms (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static void
step_add_cpu (Step   *step,
              double  cpu_start)
{
  double value = cpu_ms () - cpu_start;

  g_array_append_val (step->cpu, value);
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return usage.ru_maxrss / 1024.0;   /* kB on Linux */
}

static double
current_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0;
}

/* The peak resident set of this process image (not carried over exec) */
static double
peak_hwm_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  if (line == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("VmHWM:"), NULL) / 1024.0;
}

static double
file_size_mb (const char *path)
{
  GStatBuf st;
  double total = 0;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  if (g_stat (path, &st) == 0)
    total += st.st_size;
  if (g_stat (wal, &st) == 0)
    total += st.st_size;
  return total / (1024.0 * 1024.0);
}

/* ------------------------------------------------------------ callbacks */

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Wait       *wait)
{
  guint n = g_list_model_get_n_items (model);

  if (wait->first_page_at == 0 && added > 0 && position == 0 && n >= MIN (PAGE, MAX (wait->expected, 1)))
    wait->first_page_at = g_get_monotonic_time () - wait->start;
}

static void
on_loading_cb (CrmLeadListModel *model,
               GParamSpec       *pspec,
               Wait             *wait)
{
  if (!crm_lead_list_model_get_loading (model))
    g_main_loop_quit (wait->loop);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  g_error ("The list model did not finish loading within 10 minutes");
  return G_SOURCE_REMOVE;
}

/* ----------------------------------------------------------- measuring */

/* Builds the first page as a view would: returns the time it took. */
static void
fetch_page (GListModel *model,
            guint       position)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = position; i < MIN (n, position + PAGE); i++)
    {
      g_autoptr(CrmLead) lead = g_list_model_get_item (model, i);

      g_assert (lead != NULL);
      g_assert (crm_lead_get_title (lead) != NULL);
    }
}

/* One timed action: wall time, CPU time of the process (all threads) */
typedef struct {
  double wall;
  double cpu;
} Sample;

static void
step_add_sample (Step         *step,
                 const Sample *sample)
{
  g_array_append_val (step->samples, sample->wall);
  g_array_append_val (step->cpu, sample->cpu);
}

/* Sets @filter (or queries again when it is the current one) and runs the
 * main loop until the model has loaded; then builds the first page.
 * *first_page_ms gets the time when the first page was there. */
static Sample
apply_filter (CrmLeadListModel    *model,
              const CrmLeadFilter *filter,
              double              *first_page_ms)
{
  Wait wait = { 0 };
  gulong items_id, loading_id;
  guint timeout;
  double cpu_start = cpu_ms ();
  Sample sample;

  wait.loop = g_main_loop_new (NULL, FALSE);
  wait.start = g_get_monotonic_time ();
  items_id = g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &wait);
  loading_id = g_signal_connect (model, "notify::loading", G_CALLBACK (on_loading_cb), &wait);
  timeout = g_timeout_add_seconds (600, on_timeout_cb, NULL);

  crm_lead_list_model_set_filter (model, filter);
  if (!crm_lead_list_model_get_loading (model))
    crm_lead_list_model_refresh (model);
  if (crm_lead_list_model_get_loading (model))
    g_main_loop_run (wait.loop);

  fetch_page (G_LIST_MODEL (model), 0);
  sample.wall = bench_ms_since (wait.start);
  sample.cpu = cpu_ms () - cpu_start;

  if (first_page_ms != NULL)
    *first_page_ms = wait.first_page_at > 0 ? wait.first_page_at / 1000.0 : sample.wall;

  g_source_remove (timeout);
  g_signal_handler_disconnect (model, items_id);
  g_signal_handler_disconnect (model, loading_id);
  g_main_loop_unref (wait.loop);

  return sample;
}

/* The list as the app shows it first: its GSettings defaults are the
 * status filter "open" and the sort by last change, newest first. */
static CrmLeadFilter *
default_filter (void)
{
  CrmLeadFilter *filter = crm_lead_filter_new ();

  filter->sort = CRM_LEAD_SORT_UPDATED;
  filter->descending = TRUE;
  if (g_strcmp0 (opt_status, "any") == 0)
    filter->status_class = CRM_STATUS_FILTER_ANY;
  else if (g_strcmp0 (opt_status, "won") == 0)
    filter->status_class = CRM_STATUS_FILTER_WON;
  else if (g_strcmp0 (opt_status, "lost") == 0)
    filter->status_class = CRM_STATUS_FILTER_LOST;
  else
    filter->status_class = CRM_STATUS_FILTER_OPEN;
  return filter;
}

/* Types @text into the search field one character at a time, from the
 * unfiltered list, waiting for each result; returns the last keystroke. */
static Sample
type_search (CrmLeadListModel *model,
             const char       *text,
             Sample           *first_keystroke,
             guint            *n_results)
{
  g_autoptr(CrmLeadFilter) filter = default_filter ();
  Sample last = { 0, 0 };

  apply_filter (model, filter, NULL);

  for (const char *p = g_utf8_next_char (text); ; p = g_utf8_next_char (p))
    {
      g_free (filter->search);
      filter->search = g_strndup (text, p - text);
      last = apply_filter (model, filter, NULL);
      if (p == g_utf8_next_char (text) && first_keystroke != NULL)
        *first_keystroke = last;
      if (*p == '\0')
        break;
    }

  *n_results = g_list_model_get_n_items (G_LIST_MODEL (model));
  return last;
}

static gboolean
same_totals (const CrmLeadTotals *a,
             const CrmLeadTotals *b)
{
  if (a->count != b->count || a->sums->len != b->sums->len)
    return FALSE;

  for (guint i = 0; i < a->sums->len; i++)
    {
      const CrmCurrencySum *x = &g_array_index (a->sums, CrmCurrencySum, i);
      const CrmCurrencySum *y = &g_array_index (b->sums, CrmCurrencySum, i);

      if (strcmp (x->currency, y->currency) != 0 || x->count != y->count ||
          x->absolute_minor != y->absolute_minor || x->weighted_minor != y->weighted_minor)
        return FALSE;
    }

  return TRUE;
}

/* The model's ids and totals, as they are, must be those of the plain SQL
 * for its filter (a LIMIT keeps the store from taking its bitmap path for
 * many matches). */
static gboolean
verify_model (CrmStore         *store,
              CrmLeadListModel *model)
{
  const CrmLeadFilter *filter = crm_lead_list_model_get_filter (model);
  const char *search = filter->search ? filter->search : "";
  g_autoptr(GArray) ids = NULL;
  g_autoptr(CrmLeadTotals) totals = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  ids = crm_store_query_lead_ids (store, filter, G_MAXUINT, NULL, &error);
  g_assert_no_error (error);
  totals = crm_store_query_totals (store, filter, NULL, &error);
  g_assert_no_error (error);

  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  if (n != ids->len)
    {
      g_printerr ("leads-bench: \"%s\": %u leads in the model, %u in SQL\n", search, n, ids->len);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (crm_lead_list_model_get_id (model, i) != g_array_index (ids, gint64, i))
      {
        g_printerr ("leads-bench: \"%s\": the model's order differs from SQL's at %u\n", search, i);
        return FALSE;
      }

  if (!same_totals (crm_lead_list_model_get_totals (model), totals))
    {
      g_printerr ("leads-bench: \"%s\": the model's totals differ from SQL's\n", search);
      return FALSE;
    }

  return TRUE;
}

/* The same after setting the default filter with @search */
static gboolean
verify_search (CrmStore         *store,
               CrmLeadListModel *model,
               const char       *search)
{
  g_autoptr(CrmLeadFilter) filter = default_filter ();

  filter->search = g_strdup (search);
  apply_filter (model, filter, NULL);
  return verify_model (store, model);
}

static void
print_loadavg (const char *when)
{
  g_autofree char *loadavg = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    g_print ("load average %s: %s", when, loadavg);
}

static int
measure (void)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (step_free);
  g_autoptr(CrmLeadFilter) filter = default_filter ();
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(CrmLeadListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  Step *store_step, *open_step, *visible_step, *sort_step, *search_step, *rare_step, *first_key_step;
  Step *totals_step, *totals_search_step, *jump_step, *backspace_step, *widen_step, *board_step;
  static const CrmLeadSort sorts[] = {
    CRM_LEAD_SORT_TITLE, CRM_LEAD_SORT_VOLUME, CRM_LEAD_SORT_CONTACT, CRM_LEAD_SORT_PHASE,
    CRM_LEAD_SORT_CLOSE_MONTH, CRM_LEAD_SORT_OWNER, CRM_LEAD_SORT_WEIGHTED,
  };
  static const char *common = "Nordw";
  static const char *rare = "Zenith Robotics S.r";
  guint n_items = 0, n_common = 0, n_rare = 0, n_widened = 0, n_board = 0;
  guint backspace_reused = 0, widen_reused = 0;
  gboolean pass = TRUE, verified, verified_backspace = TRUE;
  double peak_rss, peak_hwm;

  print_loadavg ("at the start");

  store_step = step_new ("crm_store_open () alone", 0, "ms");
  open_step = step_new ("open + first page (loaded)", TARGET_FIRST_PAGE_MS, "ms");
  visible_step = step_new ("open + first 50 rows shown", 0, "ms");
  sort_step = step_new ("sort change", TARGET_FIRST_PAGE_MS, "ms");
  first_key_step = step_new ("search 1st keystroke \"N\"", 0, "ms");
  search_step = step_new ("search keystroke, common", TARGET_SEARCH_MS, "ms");
  rare_step = step_new ("search keystroke, rare", TARGET_SEARCH_MS, "ms");
  backspace_step = step_new ("search backspace \"Nord\"", TARGET_SEARCH_MS, "ms");
  widen_step = step_new ("widening \"Nord\", not kept", 0, "ms");
  totals_step = step_new ("query_totals (), the list", 0, "ms");
  totals_search_step = step_new ("query_totals (), \"Nordw\"", 0, "ms");
  jump_step = step_new ("jump to middle, 50 rows", 0, "ms");
  g_ptr_array_add (steps, store_step);
  g_ptr_array_add (steps, open_step);
  g_ptr_array_add (steps, visible_step);
  g_ptr_array_add (steps, sort_step);
  g_ptr_array_add (steps, first_key_step);
  g_ptr_array_add (steps, search_step);
  g_ptr_array_add (steps, rare_step);
  g_ptr_array_add (steps, backspace_step);
  g_ptr_array_add (steps, widen_step);
  g_ptr_array_add (steps, totals_step);
  g_ptr_array_add (steps, totals_search_step);
  g_ptr_array_add (steps, jump_step);
  board_step = step_new ("Pipeline board, all columns", 0, "ms");
  g_ptr_array_add (steps, board_step);

  /* (a) open + first page, each time with a new store and model */
  for (int r = 0; r < opt_repeat; r++)
    {
      gint64 start;
      double cpu_start, visible;
      Sample sample;

      g_clear_object (&model);
      g_clear_object (&store);

      start = g_get_monotonic_time ();
      cpu_start = cpu_ms ();
      store = crm_store_open (opt_db, &error);
      if (store == NULL)
        {
          g_printerr ("leads-bench: %s\n", error->message);
          return 2;
        }
      step_add (store_step, bench_ms_since (start));
      step_add_cpu (store_step, cpu_start);

      model = crm_lead_list_model_new (store);
      sample = apply_filter (model, filter, &visible);
      step_add (open_step, bench_ms_since (start));
      step_add_cpu (open_step, cpu_start);
      step_add (visible_step, bench_ms_since (start) - sample.wall + visible);
      n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
    }

  /* (b) sort changes, each to another column or direction */
  for (int r = 0; r < opt_repeat; r++)
    {
      g_autoptr(CrmLeadFilter) sorted = default_filter ();
      Sample sample;

      sorted->sort = sorts[r % G_N_ELEMENTS (sorts)];
      sorted->descending = r % 2;
      sample = apply_filter (model, sorted, NULL);
      step_add_sample (sort_step, &sample);
    }

  /* (c) search keystrokes. Each repetition with a new model, as after a
   * start of the app: a model keeps its last results and reuses them for
   * the same filter while the store is unchanged, so the same model would
   * answer the typed keystrokes of the second repetition from those. */
  for (int r = 0; r < opt_repeat; r++)
    {
      Sample first = { 0, 0 }, last;
      g_autoptr(CrmLeadFilter) widened = default_filter ();
      guint reused;

      g_clear_object (&model);
      model = crm_lead_list_model_new (store);

      last = type_search (model, common, &first, &n_common);
      step_add_sample (search_step, &last);
      step_add_sample (first_key_step, &first);

      /* one character back: the list widens to the result it had for
       * that search (a kept result, when the store is unchanged) */
      reused = _crm_lead_list_model_get_n_reused (model);
      widened->search = g_strndup (common, strlen (common) - 1);
      last = apply_filter (model, widened, NULL);
      step_add_sample (backspace_step, &last);
      backspace_reused += _crm_lead_list_model_get_n_reused (model) - reused;
      if (r == opt_repeat - 1)
        verified_backspace = verify_model (store, model);

      last = type_search (model, rare, NULL, &n_rare);
      step_add_sample (rare_step, &last);
    }

  /* the same widening with no result kept for it: "Nordw" pasted into the
   * search field, then a backspace; a new model each time */
  for (int r = 0; r < opt_repeat; r++)
    {
      g_autoptr(CrmLeadFilter) pasted = default_filter ();
      Sample last;
      guint reused;

      g_clear_object (&model);
      model = crm_lead_list_model_new (store);
      apply_filter (model, pasted, NULL);
      pasted->search = g_strdup (common);
      apply_filter (model, pasted, NULL);

      reused = _crm_lead_list_model_get_n_reused (model);
      g_free (pasted->search);
      pasted->search = g_strndup (common, strlen (common) - 1);
      last = apply_filter (model, pasted, NULL);
      step_add_sample (widen_step, &last);
      widen_reused += _crm_lead_list_model_get_n_reused (model) - reused;
      n_widened = g_list_model_get_n_items (G_LIST_MODEL (model));
    }

  /* (d) footer totals on their own, as the store computes them */
  for (int r = 0; r < opt_repeat; r++)
    {
      g_autoptr(CrmLeadFilter) search = default_filter ();
      g_autoptr(CrmLeadTotals) totals = NULL;
      gint64 start;
      double cpu_start;

      start = g_get_monotonic_time ();
      cpu_start = cpu_ms ();
      totals = crm_store_query_totals (store, filter, NULL, &error);
      step_add (totals_step, bench_ms_since (start));
      step_add_cpu (totals_step, cpu_start);
      g_assert_no_error (error);
      g_assert (totals->count == n_items);
      g_clear_pointer (&totals, crm_lead_totals_free);

      search->search = g_strdup (common);
      start = g_get_monotonic_time ();
      cpu_start = cpu_ms ();
      totals = crm_store_query_totals (store, search, NULL, &error);
      step_add (totals_search_step, bench_ms_since (start));
      step_add_cpu (totals_search_step, cpu_start);
      g_assert_no_error (error);
    }

  /* scrolling far down builds items on demand */
  apply_filter (model, filter, NULL);
  for (int r = 0; r < opt_repeat; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_ms ();

      fetch_page (G_LIST_MODEL (model), n_items / 2 + r * 997);
      step_add (jump_step, bench_ms_since (start));
      step_add_cpu (jump_step, cpu_start);
    }

  /* (f) the Pipeline board as it opens: one model per active phase (its
   * open leads by close month, as CrmPipelineColumn asks), all queried at
   * once, until every column has its ids and sums and its first page */
  for (int r = 0; r < opt_repeat; r++)
    {
      g_autoptr(GListModel) phases = crm_store_list_key_values (store, "phase", FALSE);
      g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_ms ();
      gboolean loading = TRUE;

      for (guint i = 0; i < g_list_model_get_n_items (phases); i++)
        {
          g_autoptr(CrmKeyValue) phase = g_list_model_get_item (phases, i);
          g_autoptr(CrmLeadFilter) column = crm_lead_filter_new ();
          CrmLeadListModel *column_model = crm_lead_list_model_new (store);

          column->status_class = CRM_STATUS_FILTER_OPEN;
          column->phase = g_strdup (crm_key_value_get_key (phase));
          column->sort = CRM_LEAD_SORT_CLOSE_MONTH;
          crm_lead_list_model_set_filter (column_model, column);
          g_ptr_array_add (columns, column_model);
        }
      while (loading)
        {
          loading = FALSE;
          for (guint i = 0; i < columns->len; i++)
            loading |= crm_lead_list_model_get_loading (g_ptr_array_index (columns, i));
          if (loading)
            g_main_context_iteration (NULL, TRUE);
        }
      n_board = 0;
      for (guint i = 0; i < columns->len; i++)
        {
          fetch_page (g_ptr_array_index (columns, i), 0);
          n_board += g_list_model_get_n_items (g_ptr_array_index (columns, i));
        }
      step_add (board_step, bench_ms_since (start));
      step_add_cpu (board_step, cpu_start);
    }

  /* (e) memory, before the check below (whose plain SQL holds more) */
  peak_rss = peak_rss_mb ();
  peak_hwm = peak_hwm_mb ();

  /* the model's results are the SQL's results */
  verified = verified_backspace &&
             verify_search (store, model, NULL) && verify_search (store, model, "N") &&
             verify_search (store, model, common) && verify_search (store, model, rare);

  g_print ("\nleads-bench: %u leads in the list (status filter \"%s\", sorted by last change), "
           "%s (%.0f MB), %d repetitions, %d rows a page\n",
           n_items, opt_status ? opt_status : "open", opt_db, file_size_mb (opt_db), opt_repeat, PAGE);
  g_print ("search terms: common \"%s\" (%u leads), rare \"%s\" (%u leads), typed one character at a time\n",
           common, n_common, rare, n_rare);
  g_print ("backspace to \"%.*s\" (%u leads): %u of %d from the model's kept result; "
           "not kept: %u of %d\n", (int) strlen (common) - 1, common, n_widened,
           backspace_reused, opt_repeat, widen_reused, opt_repeat);
  g_print ("Pipeline board: %u open leads in the columns of all active phases\n", n_board);
  g_print ("wall = what the user waits; CPU = CPU time of all threads of the process\n\n");
  g_print ("| %-28s | %10s | %10s | %10s | %10s | %8s | %-4s |\n",
           "step", "median", "CPU", "min", "max", "target", "");
  g_print ("|------------------------------|------------|------------|------------|------------|----------|------|\n");
  for (guint i = 0; i < steps->len; i++)
    {
      Step *step = g_ptr_array_index (steps, i);
      double m = bench_median (step->samples);
      g_autofree char *target = step_target (step);
      const char *verdict = step_verdict (step, &pass);

      g_autofree char *cpu = step->cpu->len > 0 ? g_strdup_printf ("%7.1f %-2s", bench_median (step->cpu), step->unit)
                                                : g_strdup ("-");

      g_print ("| %-28s | %7.1f %-2s | %10s | %7.1f %-2s | %7.1f %-2s | %8s | %-4s |\n",
               step->name, m, step->unit, cpu,
               minimum (step->samples), step->unit, maximum (step->samples), step->unit,
               target, verdict);
    }
  if (peak_rss > TARGET_RSS_MB)
    pass = FALSE;
  g_print ("| %-28s | %7.1f MB | %10s | %10s | %10s | %5.0f MB | %-4s |\n",
           "peak RSS (ru_maxrss)", peak_rss, "", "", "", TARGET_RSS_MB,
           peak_rss <= TARGET_RSS_MB ? "pass" : "FAIL");

  g_print ("\npeak RSS (VmHWM) %.1f MB; after the check below: ru_maxrss %.1f MB, "
           "current RSS (VmRSS) %.1f MB\n", peak_hwm, peak_rss_mb (), current_rss_mb ());
  g_print ("model = plain SQL (ids in order, totals) for the backspace to \"%.*s\" (its last "
           "repetition) and for no search, \"N\", \"%s\", \"%s\": %s\n",
           (int) strlen (common) - 1, common, common, rare, verified ? "yes" : "NO");
  print_loadavg ("at the end");

  g_clear_object (&model);
  g_clear_object (&store);

  if (!verified)
    return 3;
  return pass ? 0 : 1;
}


/* ----------------------------------------------------------- statistics */

/* One statistic of the benchmark: the store's call and the same SQL */
typedef struct {
  const char *name;
  CrmStatsBy  by;
  gboolean    filtered;     /* owner + close-month range + status set */
  gboolean    everything;   /* and unit, type and a search */
  Step       *step;
  double      reference[2]; /* sqlite3 shell, wall ms: plain, covering index */
  double      reference_cpu[2];
} StatsCase;

#define BENCH_OWNER "Anna Schäfer"

static void
stats_filter (const StatsCase *c,
              CrmMonth         from,
              CrmMonth         to,
              CrmLeadFilter   *filter)
{
  const char *statuses[] = { "open", "on_hold", NULL };

  if (!c->filtered)
    return;
  filter->owner = g_strdup (BENCH_OWNER);
  filter->close_from = from;
  filter->close_to = to;
  crm_lead_filter_set_statuses (filter, statuses);
  if (c->everything)
    {
      filter->unit = g_strdup ("north");
      filter->lead_type = g_strdup ("new_business");
      filter->search = g_strdup ("gmbh");
    }
}

/* The SQL that gives the same groups (per currency, before conversion) */
static char *
stats_sql (const StatsCase *c,
           CrmMonth         from,
           CrmMonth         to)
{
  const char *column = c->by == CRM_STATS_BY_STATUS ? "status" : c->by == CRM_STATS_BY_PHASE ? "phase" : "close_month";
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql, "SELECT %s, currency, count(*), sum(volume_minor), sum(volume_minor * probability) "
                          "FROM lead WHERE deleted = 0", column);
  if (c->filtered)
    g_string_append_printf (sql, " AND owner = '%s' COLLATE NOCASE AND close_month BETWEEN %d AND %d"
                            " AND status IN ('open', 'on_hold')", BENCH_OWNER, from, to);
  if (c->everything)
    g_string_append (sql, " AND unit = 'north' AND type = 'new_business'"
                     " AND id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH '\"gmbh\"*')");
  g_string_append_printf (sql, " GROUP BY %s, currency;", column);

  return g_string_free (sql, FALSE);
}

/* Runs @script in the sqlite3 shell on the database with .timer on;
 * returns the wall and the CPU (user + sys) time of each statement, in
 * ms, two values a statement */
static GArray *
run_shell (const char *script)
{
  g_autofree char *input = g_strconcat (".timer on\n", script, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  GArray *times = g_array_new (FALSE, FALSE, sizeof (double));
  const char *p;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, "sqlite3", opt_db, NULL);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, input, NULL, &out, &err, &error))
    {
      g_printerr ("leads-bench: the sqlite3 shell: %s\n", error->message);
      return times;
    }

  /* "Run Time: real 0.183 user 0.150000 sys 0.030000": wall, then CPU */
  for (p = out; (p = strstr (p, "Run Time: real ")) != NULL; p++)
    {
      char *end = NULL;
      double wall = g_ascii_strtod (p + strlen ("Run Time: real "), &end) * 1000.0;
      double cpu = 0;
      const char *user = strstr (end, " user ");
      const char *sys = user != NULL ? strstr (user, " sys ") : NULL;

      if (user != NULL && sys != NULL)
        cpu = (g_ascii_strtod (user + strlen (" user "), NULL) + g_ascii_strtod (sys + strlen (" sys "), NULL)) * 1000.0;
      g_array_append_val (times, wall);
      g_array_append_val (times, cpu);
    }

  return times;
}

/* The reference: each query run twice (the second, warm, counts), without
 * and then with a covering index made for it (dropped afterwards) */
static void
measure_reference (StatsCase *cases,
                   guint      n_cases,
                   CrmMonth   from,
                   CrmMonth   to)
{
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GString) script = g_string_new (NULL);
      g_autoptr(GArray) times = NULL;

      if (pass == 1)
        run_shell ("CREATE INDEX IF NOT EXISTS bench_stats ON lead "
                   "(owner COLLATE NOCASE, status, close_month, phase, currency, volume_minor, probability, unit, type) "
                   "WHERE deleted = 0;\n");
      for (guint i = 0; i < n_cases; i++)
        {
          g_autofree char *sql = stats_sql (&cases[i], from, to);

          g_string_append_printf (script, "%s\n%s\n", sql, sql);
        }
      times = run_shell (script->str);
      /* each query twice: the second (warm) run counts */
      for (guint i = 0; i < n_cases && 4 * i + 3 < times->len; i++)
        {
          cases[i].reference[pass] = g_array_index (times, double, 4 * i + 2);
          cases[i].reference_cpu[pass] = g_array_index (times, double, 4 * i + 3);
        }
    }

  run_shell ("DROP INDEX IF EXISTS bench_stats;\n");
}

typedef struct {
  GMainLoop *loop;
  CrmStats  *stats;
} StatsWait;

static void
on_stats_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  StatsWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->stats = crm_store_query_stats_finish (CRM_STORE (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (wait->loop);
}

static gint64
stats_count (CrmStats *stats)
{
  gint64 n = crm_stats_get_total (stats)->count;

  for (guint i = 0; i < crm_stats_get_n_unconverted (stats); i++)
    n += crm_stats_get_unconverted (stats, i)->count;
  return n;
}

static int
measure_stats (void)
{
  StatsCase cases[] = {
    { "by status", CRM_STATS_BY_STATUS, FALSE, FALSE },
    { "by phase", CRM_STATS_BY_PHASE, FALSE, FALSE },
    { "by month", CRM_STATS_BY_MONTH, FALSE, FALSE },
    { "by status, filtered", CRM_STATS_BY_STATUS, TRUE, FALSE },
    { "by phase, filtered", CRM_STATS_BY_PHASE, TRUE, FALSE },
    { "by month, filtered", CRM_STATS_BY_MONTH, TRUE, FALSE },
    { "by status, all filters", CRM_STATS_BY_STATUS, TRUE, TRUE },
    { "by month, all filters", CRM_STATS_BY_MONTH, TRUE, TRUE },
  };
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (step_free);
  g_autoptr(CrmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all_ids = NULL;
  CrmMonth from = crm_month_current (), to = crm_month_add (from, 11);
  Step *first_step, *fresh_step, *write_step;
  double rss_before = 0, rss_after = 0;
  gboolean pass = TRUE, verified = TRUE;

  print_loadavg ("at the start");

  first_step = step_new ("first statistic (builds)", 0, "ms");
  write_step = step_new ("edit (the write itself)", 0, "ms");
  fresh_step = step_new ("edit -> fresh figures", TARGET_FRESH_MS, "ms");
  g_ptr_array_add (steps, first_step);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      cases[i].step = step_new (cases[i].name, TARGET_STATS_MS, "ms");
      g_ptr_array_add (steps, cases[i].step);
    }
  g_ptr_array_add (steps, write_step);
  g_ptr_array_add (steps, fresh_step);

  /* the first statistic of a fresh store builds the summary */
  for (int r = 0; r < opt_repeat; r++)
    {
      g_autoptr(CrmStats) stats = NULL;
      gint64 start;
      double cpu_start;

      g_clear_object (&store);
      store = crm_store_open (opt_db, &error);
      if (store == NULL)
        {
          g_printerr ("leads-bench: %s\n", error->message);
          return 2;
        }
      rss_before = current_rss_mb ();
      start = g_get_monotonic_time ();
      cpu_start = cpu_ms ();
      stats = crm_store_query_stats (store, CRM_STATS_BY_STATUS, NULL, 0, 0, NULL, &error);
      g_assert_no_error (error);
      step_add (first_step, bench_ms_since (start));
      step_add_cpu (first_step, cpu_start);
      rss_after = current_rss_mb ();
    }

  /* each statistic */
  for (int r = 0; r < opt_repeat; r++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
        g_autoptr(CrmStats) stats = NULL;
        gint64 start;
        double cpu_start;

        stats_filter (&cases[i], from, to, filter);
        start = g_get_monotonic_time ();
        cpu_start = cpu_ms ();
        stats = crm_store_query_stats (store, cases[i].by, filter,
                                       cases[i].filtered ? from : 0, cases[i].filtered ? to : 0, NULL, &error);
        step_add (cases[i].step, bench_ms_since (start));
        step_add_cpu (cases[i].step, cpu_start);
        g_assert_no_error (error);

        /* the leads counted are the leads the list query lets through */
        if (r == 0)
          {
            g_autoptr(GArray) ids = crm_store_query_lead_ids (store, filter, 0, NULL, &error);

            g_assert_no_error (error);
            if ((gint64) ids->len != stats_count (stats))
              {
                g_printerr ("leads-bench: %s: %" G_GINT64_FORMAT " leads counted, the list has %u\n",
                            cases[i].name, stats_count (stats), ids->len);
                verified = FALSE;
              }
          }
      }

  /* an edit, then the Statistics view's query (async, as the app runs it) */
  all_ids = crm_store_query_lead_ids (store, NULL, 1000, NULL, &error);
  g_assert_no_error (error);
  for (int r = 0; r < opt_repeat; r++)
    {
      g_autoptr(CrmLeadFilter) filter = crm_lead_filter_new ();
      g_autofree char *volume = g_strdup_printf ("%d", 100000 + r);
      CrmFieldValue value = { "volume_minor", volume };
      StatsWait wait = { g_main_loop_new (NULL, FALSE), NULL };
      gint64 start, edited;
      double cpu_start = cpu_ms ();

      start = g_get_monotonic_time ();
      if (!crm_store_update_lead (store, g_array_index (all_ids, gint64, r % all_ids->len), &value, 1, &error))
        g_error ("%s", error->message);
      edited = g_get_monotonic_time ();
      step_add (write_step, (edited - start) / 1000.0);

      crm_store_query_stats_async (store, CRM_STATS_BY_MONTH, filter, from, to, NULL, on_stats_cb, &wait);
      g_main_loop_run (wait.loop);
      step_add (fresh_step, (g_get_monotonic_time () - edited) / 1000.0);
      step_add_cpu (fresh_step, cpu_start);
      g_clear_object (&wait.stats);
      g_main_loop_unref (wait.loop);
    }
  g_clear_object (&store);

  /* the reference: the same SQL in the sqlite3 shell */
  measure_reference (cases, G_N_ELEMENTS (cases), from, to);

  /* printf: the owner's name as UTF-8 whatever the locale */
  printf ("\nleads-bench --stats: %s (%.0f MB), %d repetitions; filtered = owner \"%s\" + close "
          "months %d-%02d to %d-%02d + statuses {open, on_hold}; all filters = and unit, type, "
          "search \"gmbh\"\n",
           opt_db, file_size_mb (opt_db), opt_repeat, BENCH_OWNER,
           crm_month_get_year (from), crm_month_get_month (from),
           crm_month_get_year (to), crm_month_get_month (to));
  fflush (stdout);
  g_print ("summary: RSS %.1f MB before the first statistic, %.1f MB after\n", rss_before, rss_after);
  g_print ("sqlite3 = the same GROUP BY in the sqlite3 shell (.timer on, warm run), plain and with a "
           "covering index: wall / CPU (user + sys)\n\n");
  g_print ("| %-26s | %10s | %10s | %10s | %10s | %17s | %17s | %8s | %-4s |\n",
           "statistic", "median", "CPU", "min", "max", "sqlite3", "+ index", "target", "");
  g_print ("|----------------------------|------------|------------|------------|------------|-------------------|-------------------|----------|------|\n");
  for (guint i = 0; i < steps->len; i++)
    {
      Step *step = g_ptr_array_index (steps, i);
      double m = bench_median (step->samples);
      g_autofree char *target = step_target (step);
      g_autofree char *plain = g_strdup ("-");
      g_autofree char *covered = g_strdup ("-");
      const char *verdict = step_verdict (step, &pass);

      for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
        if (cases[c].step == step)
          {
            g_free (plain);
            g_free (covered);
            plain = g_strdup_printf ("%.0f / %.0f ms", cases[c].reference[0], cases[c].reference_cpu[0]);
            covered = g_strdup_printf ("%.0f / %.0f ms", cases[c].reference[1], cases[c].reference_cpu[1]);
          }
      g_print ("| %-26s | %7.1f %-2s | %7.1f %-2s | %7.1f %-2s | %7.1f %-2s | %17s | %17s | %8s | %-4s |\n",
               step->name, m, step->unit, bench_median (step->cpu), step->unit,
               minimum (step->samples), step->unit, maximum (step->samples), step->unit,
               plain, covered, target, verdict);
    }
  g_print ("\nleads counted = leads the list query lets through, every case: %s\n", verified ? "yes" : "NO");
  print_loadavg ("at the end");

  if (!verified)
    return 3;
  return pass ? 0 : 1;
}

/* ----------------------------------------------------------- generating */

static void
on_progress_cb (guint64  done,
                guint64  total,
                gpointer user_data)
{
  gint64 start = *(gint64 *) user_data;
  static guint64 last_tenth = 0;

  if (done * 10 / total != last_tenth || done == total)
    {
      last_tenth = done * 10 / total;
      g_printerr ("  %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " leads, %.0f s\n",
                  done, total, bench_ms_since (start) / 1000.0);
    }
}

static gboolean
generate (GError **error)
{
  g_autoptr(CrmStore) store = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  store = crm_store_open (opt_db, error);
  if (store == NULL)
    return FALSE;

  if (!crm_store_is_empty (store))
    {
      g_print ("leads-bench: reusing %s (%.0f MB)\n", opt_db, file_size_mb (opt_db));
      return TRUE;
    }

  g_print ("leads-bench: generating %" G_GUINT64_FORMAT " leads (seed %u) into %s\n",
           opt_count, opt_seed, opt_db);
  if (!crm_store_generate (store, opt_count, opt_seed, on_progress_cb, &start, error))
    return FALSE;
  g_clear_object (&store);

  seconds = bench_ms_since (start) / 1000.0;
  g_print ("leads-bench: generated %" G_GUINT64_FORMAT " leads in %.1f s (%.0f leads/s, CPU %.1f s), "
           "database %.0f MB, peak RSS while generating %.0f MB\n",
           opt_count, seconds, opt_count / seconds, cpu_ms () / 1000.0, file_size_mb (opt_db), peak_rss_mb ());
  return TRUE;
}

/* Runs this program again with @mode. Generating and measuring each get a
 * fresh process, started by this small one: on Linux ru_maxrss survives
 * fork and exec, so a measuring process forked from the generating one
 * would report the generator's peak. */
static int
run_self (const char *argv0,
          const char *mode)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, opt_count);
  g_autofree char *seed = g_strdup_printf ("%u", opt_seed);
  g_autofree char *repeat = g_strdup_printf ("%d", opt_repeat);
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    self ? self : argv0, mode, "--db", opt_db, "--count", count, "--seed", seed,
    "--repeat", repeat, "--status", opt_status ? opt_status : "open", NULL
  };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN,
                     NULL, NULL, NULL, NULL, &status, &error))
    {
      g_printerr ("leads-bench: %s\n", error->message);
      return 2;
    }

  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 2;
}

/* ---------------------------------------------------------------- main */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— measure the lead list at scale");
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Generates leads into --db once, then measures opening it and the lead list in a\n"
    "fresh process. Targets: first page ≤ 400 ms, search keystroke ≤ 30 ms, peak RSS ≤ 200 MB.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("leads-bench: %s\n", error->message);
      return 2;
    }
  if (opt_repeat < 1)
    opt_repeat = 1;
  if (opt_db == NULL)
    opt_db = g_strdup_printf ("leads-bench-%" G_GUINT64_FORMAT ".db", opt_count);

  if (opt_measure_only)
    return measure ();
  if (opt_measure_stats)
    return measure_stats ();

  if (opt_generate_only)
    {
      if (!generate (&error))
        {
          g_printerr ("leads-bench: %s\n", error->message);
          return 2;
        }
      return 0;
    }

  status = run_self (argv[0], "--generate-only");
  if (status != 0)
    return status;

  return run_self (argv[0], opt_stats ? "--measure-stats" : "--measure-only");
}
