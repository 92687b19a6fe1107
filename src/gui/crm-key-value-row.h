/* crm-key-value-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* The control of a row that has the keyboard focus; the preferences
 * window uses it to keep the focus on the same value when a list is
 * rebuilt. */
typedef enum {
  CRM_KEY_VALUE_ROW_PART_NONE,
  CRM_KEY_VALUE_ROW_PART_LABEL,
  CRM_KEY_VALUE_ROW_PART_PROBABILITY,
  CRM_KEY_VALUE_ROW_PART_MOVE_UP,
  CRM_KEY_VALUE_ROW_PART_MOVE_DOWN,
  CRM_KEY_VALUE_ROW_PART_ACTIVE,
  CRM_KEY_VALUE_ROW_PART_DELETE,
  CRM_KEY_VALUE_ROW_PART_MENU,
} CrmKeyValueRowPart;

#define CRM_TYPE_KEY_VALUE_ROW (crm_key_value_row_get_type ())

G_DECLARE_FINAL_TYPE (CrmKeyValueRow, crm_key_value_row, CRM, KEY_VALUE_ROW, AdwEntryRow)

GtkWidget          *crm_key_value_row_new            (CrmStore        *store,
                                                      CrmKeyValue     *key_value);
CrmKeyValue        *crm_key_value_row_get_key_value  (CrmKeyValueRow  *self);
void                crm_key_value_row_set_key_value  (CrmKeyValueRow  *self,
                                                      CrmKeyValue     *key_value);
void                crm_key_value_row_set_position   (CrmKeyValueRow  *self,
                                                      guint            position,
                                                      guint            n_items);
CrmKeyValueRowPart  crm_key_value_row_get_focus_part (CrmKeyValueRow  *self);
void                crm_key_value_row_focus_part     (CrmKeyValueRow  *self,
                                                      CrmKeyValueRowPart part);

/* Formats a 0–100 spin button as a percentage; shared with the "add" rows. */
void                crm_key_value_row_init_probability_spin (GtkSpinButton *spin);

G_END_DECLS
