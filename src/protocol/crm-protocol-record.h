/* crm-protocol-record.h: the records of the sync protocol as JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "crm-lead.h"

G_BEGIN_DECLS

typedef enum {
  CRM_RECORD_LEAD,
  CRM_RECORD_CONTACT,
  CRM_RECORD_ACTIVITY,
  CRM_RECORD_EVENT,
  CRM_RECORD_KEY_VALUE,
  CRM_RECORD_USER,
  CRM_RECORD_CONFLICT,
  CRM_RECORD_N_TYPES
} CrmRecordType;

typedef enum {
  CRM_RECORD_CHECK_DEFAULT = 0,
  /* a record a client creates: the server-kept members (rev, deleted)
   * may be missing */
  CRM_RECORD_CHECK_NEW     = 1 << 0,
} CrmRecordCheck;

#define CRM_PROTOCOL_MAX_TEXT   100000   /* bytes of a long text (description, notes, report) */
#define CRM_PROTOCOL_MAX_NAME   500      /* characters of a title or name */
#define CRM_PROTOCOL_MAX_KEY    64       /* bytes of a key, login, field or kind */

const char *crm_record_type_to_string      (CrmRecordType   type);
gboolean    crm_record_type_from_string    (const char     *text,
                                            CrmRecordType  *type);

gboolean    crm_protocol_uuid_is_valid     (const char     *text);

gboolean    crm_protocol_record_validate   (CrmRecordType   type,
                                            JsonObject     *record,
                                            CrmRecordCheck  flags,
                                            const char     *path,
                                            GError        **error);

/* Lead fields on the wire: the names of crm_lead_fields(), except that
 * the lead's contact travels as "contact" holding the contact's UUID. */
const char * const *crm_protocol_lead_field_names     (guint         *n_names);
gboolean    crm_protocol_lead_field_normalize         (const char    *name,
                                                       const char    *value,
                                                       char         **normalized,
                                                       GError       **error);
gboolean    crm_protocol_lead_fields_validate         (JsonObject    *fields,
                                                       gboolean       complete,
                                                       const char    *path,
                                                       GError       **error);
JsonObject *crm_protocol_lead_fields_from_lead        (CrmLead       *lead,
                                                       const char    *contact_uuid);

/* Contact fields a contact.update may change. */
const char * const *crm_protocol_contact_field_names  (guint         *n_names);
gboolean    crm_protocol_contact_field_normalize      (const char    *name,
                                                       const char    *value,
                                                       char         **normalized,
                                                       GError       **error);

/* Member helpers for hand-written shapes; @path names the member in errors. */
gboolean    crm_protocol_get_string        (JsonObject     *object,
                                            const char     *member,
                                            const char     *path,
                                            gboolean        nullable,
                                            gsize           max_bytes,
                                            const char    **value,
                                            GError        **error);
gboolean    crm_protocol_get_int           (JsonObject     *object,
                                            const char     *member,
                                            const char     *path,
                                            gint64          min,
                                            gint64          max,
                                            gint64         *value,
                                            GError        **error);
gboolean    crm_protocol_get_bool          (JsonObject     *object,
                                            const char     *member,
                                            const char     *path,
                                            gboolean       *value,
                                            GError        **error);
gboolean    crm_protocol_get_uuid          (JsonObject     *object,
                                            const char     *member,
                                            const char     *path,
                                            gboolean        empty_ok,
                                            const char    **value,
                                            GError        **error);
JsonObject *crm_protocol_array_get_object  (JsonArray      *array,
                                            guint           index,
                                            const char     *path,
                                            GError        **error);
JsonObject *crm_protocol_get_object        (JsonObject     *object,
                                            const char     *member,
                                            const char     *path,
                                            GError        **error);
JsonArray  *crm_protocol_get_array         (JsonObject     *object,
                                            const char     *member,
                                            const char     *path,
                                            guint           max_length,
                                            GError        **error);

G_END_DECLS
