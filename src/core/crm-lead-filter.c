/* crm-lead-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A lead filter is a plain value: the store turns it into SQL, the list
 * model compares it to know whether to query again, and the command line
 * fills it from options. Empty strings and NULL both mean "any".
 */
#define G_LOG_DOMAIN "crm-core"

#include "config.h"

#include "crm-lead-filter.h"

G_DEFINE_BOXED_TYPE (CrmLeadFilter, crm_lead_filter, crm_lead_filter_copy, crm_lead_filter_free)

static const char *sort_names[CRM_LEAD_N_SORTS] = {
  "title", "contact", "phase", "status", "volume", "probability",
  "weighted", "close_month", "owner", "last_activity", "updated",
};

CrmLeadFilter *
crm_lead_filter_new (void)
{
  return g_new0 (CrmLeadFilter, 1);
}

CrmLeadFilter *
crm_lead_filter_copy (const CrmLeadFilter *self)
{
  CrmLeadFilter *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->search = g_strdup (self->search);
  copy->status = g_strdup (self->status);
  copy->statuses = g_strdupv (self->statuses);
  copy->phase = g_strdup (self->phase);
  copy->owner = g_strdup (self->owner);
  copy->unit = g_strdup (self->unit);
  copy->lead_type = g_strdup (self->lead_type);

  return copy;
}

void
crm_lead_filter_free (CrmLeadFilter *self)
{
  if (self == NULL)
    return;

  g_free (self->search);
  g_free (self->status);
  g_strfreev (self->statuses);
  g_free (self->phase);
  g_free (self->owner);
  g_free (self->unit);
  g_free (self->lead_type);
  g_free (self);
}

static gboolean
str_equal (const char *a,
           const char *b)
{
  return g_strcmp0 (a && *a ? a : NULL, b && *b ? b : NULL) == 0;
}

/* Status sets are equal when they hold the same keys (order and
 * repetition aside); NULL and empty both mean "any". */
static gboolean
statuses_equal (char **a,
                char **b)
{
  guint na = a != NULL ? g_strv_length (a) : 0;
  guint nb = b != NULL ? g_strv_length (b) : 0;

  if (na == 0 || nb == 0)
    return na == nb;

  for (guint i = 0; i < na; i++)
    if (!g_strv_contains ((const char * const *) b, a[i]))
      return FALSE;
  for (guint i = 0; i < nb; i++)
    if (!g_strv_contains ((const char * const *) a, b[i]))
      return FALSE;

  return TRUE;
}

gboolean
crm_lead_filter_equal (const CrmLeadFilter *a,
                       const CrmLeadFilter *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return str_equal (a->search, b->search) &&
         a->status_class == b->status_class &&
         str_equal (a->status, b->status) &&
         statuses_equal (a->statuses, b->statuses) &&
         str_equal (a->phase, b->phase) &&
         str_equal (a->owner, b->owner) &&
         str_equal (a->unit, b->unit) &&
         str_equal (a->lead_type, b->lead_type) &&
         a->contact_id == b->contact_id &&
         a->close_from == b->close_from &&
         a->close_to == b->close_to &&
         !a->no_close_month == !b->no_close_month &&
         a->sort == b->sort &&
         a->descending == b->descending;
}

/* TRUE when the filter lets every lead through (sorting aside). */
gboolean
crm_lead_filter_is_empty (const CrmLeadFilter *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return str_equal (self->search, NULL) &&
         self->status_class == CRM_STATUS_FILTER_ANY &&
         str_equal (self->status, NULL) &&
         !crm_lead_filter_has_statuses (self) &&
         str_equal (self->phase, NULL) &&
         str_equal (self->owner, NULL) &&
         str_equal (self->unit, NULL) &&
         str_equal (self->lead_type, NULL) &&
         self->contact_id == 0 &&
         self->close_from == CRM_MONTH_NONE &&
         self->close_to == CRM_MONTH_NONE &&
         !self->no_close_month;
}

void
crm_lead_filter_set_string (char       **field,
                            const char  *value)
{
  g_free (*field);
  *field = (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
}

/* Sets the status set to a copy of @statuses without empty keys and
 * repetitions; NULL or no keys clears it ("any status"). */
void
crm_lead_filter_set_statuses (CrmLeadFilter      *self,
                              const char * const *statuses)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  g_return_if_fail (self != NULL);

  for (guint i = 0; statuses != NULL && statuses[i] != NULL; i++)
    {
      if (*statuses[i] == '\0' ||
          g_ptr_array_find_with_equal_func (seen, statuses[i], g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, (gpointer) statuses[i]);
      g_strv_builder_add (builder, statuses[i]);
    }

  g_clear_pointer (&self->statuses, g_strfreev);
  if (seen->len > 0)
    self->statuses = g_strv_builder_end (builder);
}

/* Whether the filter has a status set (a non-empty one). */
gboolean
crm_lead_filter_has_statuses (const CrmLeadFilter *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->statuses != NULL && self->statuses[0] != NULL;
}

const char *
crm_lead_sort_to_string (CrmLeadSort sort)
{
  g_return_val_if_fail (sort < CRM_LEAD_N_SORTS, NULL);

  return sort_names[sort];
}

gboolean
crm_lead_sort_from_string (const char  *name,
                           CrmLeadSort *out_sort)
{
  for (guint i = 0; i < CRM_LEAD_N_SORTS; i++)
    if (g_strcmp0 (sort_names[i], name) == 0)
      {
        *out_sort = i;
        return TRUE;
      }

  return FALSE;
}
