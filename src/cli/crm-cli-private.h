/* crm-cli-private.h: what the parts of leadsctl share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_CLI_ERROR (crm_cli_error_quark ())

/* Exit code 2: the command line or a value on it is wrong (USAGE, INVALID
 * and every validation error of core and store). Exit code 1: the command
 * was well-formed but could not be carried out (NOT_FOUND, FAILED, I/O). */
typedef enum {
  CRM_CLI_ERROR_USAGE,
  CRM_CLI_ERROR_INVALID,
  CRM_CLI_ERROR_NOT_FOUND,
  CRM_CLI_ERROR_FAILED,
} CrmCliError;

GQuark crm_cli_error_quark (void);

typedef struct {
  char     *db_path;
  char     *author;
  CrmStore *store;
} CrmCli;

/* A command gets its arguments as a NULL-terminated vector whose first
 * element is the program name (as GOptionContext wants it). */
typedef gboolean (*CrmCliCommandFunc) (CrmCli   *cli,
                                       char   ***args,
                                       GError  **error);

typedef struct {
  const char        *name;
  CrmCliCommandFunc  func;
  const char        *summary;   /* N_() */
} CrmCliCommand;

typedef enum {
  CRM_CLI_FORMAT_TEXT,
  CRM_CLI_FORMAT_TABLE,
  CRM_CLI_FORMAT_CSV,
  CRM_CLI_FORMAT_JSON,
} CrmCliFormat;

/* The sets of formats a --format option offers (1 << CrmCliFormat each);
 * the first is the default. */
#define CRM_CLI_FORMATS_TEXT_JSON      (1u << CRM_CLI_FORMAT_TEXT | 1u << CRM_CLI_FORMAT_JSON)
#define CRM_CLI_FORMATS_TABLE_JSON     (1u << CRM_CLI_FORMAT_TABLE | 1u << CRM_CLI_FORMAT_JSON)
#define CRM_CLI_FORMATS_TABLE_CSV_JSON (1u << CRM_CLI_FORMAT_TABLE | 1u << CRM_CLI_FORMAT_CSV | 1u << CRM_CLI_FORMAT_JSON)

/* A command's --format: CRM_CLI_FORMATS_…, and the text given. */
typedef struct {
  guint  allowed;
  char  *text;
} CrmCliFormatOption;

/* crm-cli.c */
gboolean      _crm_cli_dispatch           (CrmCli               *cli,
                                           const char           *group,
                                           const CrmCliCommand  *commands,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_parse_options      (CrmCli               *cli,
                                           char               ***args,
                                           const char           *command,
                                           const char           *parameter_string,
                                           const char           *summary,
                                           const GOptionEntry   *entries,
                                           int                   max_positional,
                                           GError              **error);
CrmStore     *_crm_cli_open_store         (CrmCli               *cli,
                                           GError              **error);
gboolean      _crm_cli_parse_id           (const char           *text,
                                           const char           *what,
                                           gint64               *out_id,
                                           GError              **error);
gboolean      _crm_cli_parse_format       (const char           *text,
                                           guint                 allowed,
                                           CrmCliFormat         *out_format,
                                           GError              **error);
GOptionEntry  _crm_cli_format_entry       (CrmCliFormatOption   *option);
gboolean      _crm_cli_format_option_parse (const CrmCliFormatOption *option,
                                           CrmCliFormat         *out_format,
                                           GError              **error);
void          _crm_cli_format_option_clear (CrmCliFormatOption  *option);
gboolean      _crm_cli_parse_probability  (const char           *text,
                                           int                  *out_probability,
                                           GError              **error);
void          _crm_cli_not_found          (GError              **error,
                                           const char           *what,
                                           gint64                id);

/* crm-cli-filter.c: the filter options of lead list, stats and chart */
typedef struct {
  char *search;
  char *status;
  char *phase;
  char *owner;
  char *unit;
  char *type;
  char *from;
  char *to;
} CrmCliFilterOptions;

GOptionEntry *_crm_cli_filter_entries     (CrmCliFilterOptions  *options,
                                           const GOptionEntry   *entries);
void          _crm_cli_filter_options_clear (CrmCliFilterOptions *options);
gboolean      _crm_cli_filter_months      (const CrmCliFilterOptions *options,
                                           CrmMonth             *out_from,
                                           CrmMonth             *out_to,
                                           GError              **error);

CrmStore     *_crm_cli_filter_open_store  (CrmCli               *cli,
                                           const CrmCliFilterOptions *options,
                                           CrmLeadFilter        *filter,
                                           GError              **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CrmCliFilterOptions, _crm_cli_filter_options_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CrmCliFormatOption, _crm_cli_format_option_clear)

/* crm-cli-output.c */
char         *_crm_cli_format_iso_time    (gint64                unix_time);
char         *_crm_cli_format_local_time  (gint64                unix_time);
const char   *_crm_cli_status_class_name  (int                   status_class);
void          _crm_cli_print              (const char           *text);
void          _crm_cli_print_json         (JsonBuilder          *builder);
char         *_crm_cli_json_to_string     (JsonBuilder          *builder,
                                           guint                 indent);
void          _crm_cli_add_lead           (JsonBuilder          *builder,
                                           CrmLead              *lead);
void          _crm_cli_add_history        (JsonBuilder          *builder,
                                           GListModel           *history,
                                           gboolean              with_lead);
void          _crm_cli_add_totals         (JsonBuilder          *builder,
                                           const CrmLeadTotals  *totals);
void          _crm_cli_add_contact        (JsonBuilder          *builder,
                                           CrmContact           *contact);
void          _crm_cli_print_history_text (GListModel           *history,
                                           gboolean              with_lead);

typedef struct _CrmCliTable CrmCliTable;

CrmCliTable  *_crm_cli_table_new          (const char * const   *headers,
                                           const char           *alignment);
void          _crm_cli_table_add_row      (CrmCliTable          *table,
                                           const char * const   *cells);
void          _crm_cli_table_print        (CrmCliTable          *table);
void          _crm_cli_table_measure_row  (CrmCliTable          *table,
                                           const char * const   *cells);
void          _crm_cli_table_print_header (CrmCliTable          *table);
void          _crm_cli_table_print_row    (CrmCliTable          *table,
                                           const char * const   *cells);
void          _crm_cli_table_free         (CrmCliTable          *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCliTable, _crm_cli_table_free)

/* crm-cli-sync.c */
void          _crm_cli_add_conflicts      (JsonBuilder          *builder,
                                           GListModel           *conflicts);

/* The commands */
gboolean      _crm_cli_lead               (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_report             (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_contact            (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_keys               (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_stats              (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_chart              (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_rates              (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_login              (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_sync               (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_logout             (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_status             (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_conflicts          (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);
gboolean      _crm_cli_resolve            (CrmCli               *cli,
                                           char               ***args,
                                           GError              **error);

G_END_DECLS
