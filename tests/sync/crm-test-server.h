/* crm-test-server.h: a real leads-server for the C sync tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char        *binary;
  char        *data;      /* its --data folder */
  guint16      port;      /* chosen free at creation, kept across restarts */
  char        *url;
  GSubprocess *process;   /* NULL while stopped */
} CrmTestServer;

typedef gboolean (*CrmTestCondition) (gpointer data);

CrmTestServer *crm_test_server_new      (const char          *binary,
                                         const char          *dir);
void           crm_test_server_add_user (CrmTestServer       *server,
                                         const char          *login,
                                         const char          *password,
                                         const char          *modules,
                                         gboolean             read_only);
void           crm_test_server_start    (CrmTestServer       *server);
void           crm_test_server_stop     (CrmTestServer       *server);
void           crm_test_server_free     (CrmTestServer       *server);

guint16        crm_test_free_port       (void);
GSubprocess   *crm_test_spawn           (const char * const  *argv,
                                         GSubprocessFlags     flags,
                                         GError             **error);
char          *crm_test_run             (const char * const  *argv,
                                         const char          *input);
gboolean       crm_test_have_result     (gpointer             result_pointer);
void           crm_test_on_result       (GObject             *source,
                                         GAsyncResult        *result,
                                         gpointer             result_pointer);
gboolean       crm_test_wait_until      (CrmTestCondition     condition,
                                         gpointer             data,
                                         guint                timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTestServer, crm_test_server_free)

G_END_DECLS
