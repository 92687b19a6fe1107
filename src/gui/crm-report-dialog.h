/* crm-report-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-gui-types.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_REPORT_DIALOG (crm_report_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CrmReportDialog, crm_report_dialog, CRM, REPORT_DIALOG, AdwWindow)

GtkWindow *crm_report_dialog_new        (CrmStore        *store,
                                         CrmLead         *lead,
                                         GtkWindow       *parent);
void       crm_report_dialog_fill       (CrmReportDialog *self,
                                         const char      *subject,
                                         const char      *text,
                                         int              probability,
                                         const char      *phase);
gint64     crm_report_dialog_save       (CrmReportDialog *self);

G_END_DECLS
