/* crm-key-value.h: one entry of a customizable list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "crm-types.h"

G_BEGIN_DECLS

#define CRM_TYPE_KEY_VALUE (crm_key_value_get_type ())

G_DECLARE_FINAL_TYPE (CrmKeyValue, crm_key_value, CRM, KEY_VALUE, GObject)

CrmKeyValue *crm_key_value_new (void);
gint64 crm_key_value_get_id (CrmKeyValue *self);
const char *crm_key_value_get_kind (CrmKeyValue *self);
const char *crm_key_value_get_key (CrmKeyValue *self);
const char *crm_key_value_get_label (CrmKeyValue *self);
int crm_key_value_get_position (CrmKeyValue *self);
gboolean crm_key_value_get_active (CrmKeyValue *self);
int crm_key_value_get_probability (CrmKeyValue *self);
int crm_key_value_get_status_class (CrmKeyValue *self);
int crm_key_value_get_stale_days (CrmKeyValue *self);
gint64 crm_key_value_get_n_uses (CrmKeyValue *self);

typedef struct {
  const char *kind;
  const char *key;
  const char *label;          /* N_() string */
  int         position;
  int         probability;    /* -1: none */
  int         status_class;   /* CrmStatusClass for statuses, else 0 */
  int         stale_days;     /* phases: days without a contact report before a
                               * lead is stale (the earlier the phase, the
                               * longer a lead may rest); else 0 */
} CrmKeyValueDefault;

const CrmKeyValueDefault *crm_key_value_defaults      (guint      *n_defaults);
const char * const       *crm_key_value_kinds         (void);
gboolean                  crm_key_value_kind_is_valid (const char *kind);

G_END_DECLS
