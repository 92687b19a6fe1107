/* crm-contacts-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Contacts view: a searchable list of companies and people beside the
 * detail of the selected one, folded into one column on narrow windows.
 *
 * The detail is a form that saves itself: every edit (re)starts a short
 * timer, and when it fires the whole form is validated and, if valid and
 * different from what is stored, written with crm_store_update_contact().
 * Invalid input is shown on its row and never stored. Switching to another
 * contact, creating one or closing the view saves a pending edit at once.
 *
 * The list is our own GListStore. When the store reports a change it is
 * queried again in an idle and merged into that list store: rows whose
 * contact did not move are replaced one by one, so that the scroll
 * position and the selection survive a save of the contact being edited.
 * The form is only reloaded from the store when the change came from
 * elsewhere (sync, command line) and no edit is pending.
 *
 * Below the form: the contact's leads (for a company also those of its
 * people) and its complete history, newest first.
 */
#define G_LOG_DOMAIN "crm-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-contacts-view.h"
#include "crm-history-row.h"
#include "crm-money.h"
#include "crm-window.h"

/* ---------------------------------------------------------------- structs */

#define SAVE_DELAY_MS 600
#define LIST_LIMIT    500
#define CONTACT_NAME_MAX 300

typedef enum {
  REFRESH_LIST    = 1 << 0,
  REFRESH_FORM    = 1 << 1,
  REFRESH_RELATED = 1 << 2,
} RefreshFlags;

struct _CrmContactsView
{
  GtkWidget             parent_instance;

  CrmStore             *store;
  GListStore           *contacts;        /* items of the list */
  CrmContact           *contact;         /* the one shown, as stored */
  GListModel           *leads;           /* of the contact shown */
  GtkStringList        *company_names;   /* "None" and the companies */
  GArray               *company_ids;     /* gint64, parallel to company_names */

  guint                 save_source;
  guint                 refresh_source;
  guint                 key_source;
  RefreshFlags          refresh_flags;

  guint                 loading : 1;     /* filling the form from code */
  guint                 dirty : 1;       /* the form has edits not stored */
  guint                 selecting : 1;   /* changing the selection from code */
  guint                 saving : 1;      /* inside crm_store_update_contact() */
  guint                 companies_dirty : 1;
  guint                 name_error : 1;
  guint                 emails_error_shown : 1;
  guint                 key_pressed : 1; /* moving through the list by keyboard */
  guint                 detail_wanted : 1; /* folded, show the detail */

  /* template */
  AdwLeaflet           *leaflet;
  GtkSearchEntry       *search_entry;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  GtkSingleSelection   *selection;
  AdwStatusPage        *list_status_page;
  GtkButton            *clear_search_button;
  GtkWidget            *back_bar;
  GtkWidget            *back_button;
  GtkLabel             *back_title;
  GtkStack             *detail_stack;
  GtkScrolledWindow    *detail_scroller;
  AdwAvatar            *avatar;
  GtkLabel             *name_label;
  GtkLabel             *kind_label;
  AdwEntryRow          *name_row;
  AdwActionRow         *company_row;
  GtkDropDown          *company_dropdown;
  GtkTextView          *addresses_view;
  GtkTextView          *phones_view;
  GtkLabel             *emails_title;
  GtkTextView          *emails_view;
  GtkLabel             *emails_error;
  GtkTextView          *notes_view;
  GtkListBox           *leads_list;
  GtkListBox           *history_list;
};

/* The form's content, normalized like the store does. */
typedef struct {
  char   *name;
  gint64  company_id;
  char   *addresses;
  char   *phones;
  char   *emails;
  char   *notes;
} FormValues;

static void show_contact (CrmContactsView *self,
                          CrmContact      *contact);

G_DEFINE_FINAL_TYPE (CrmContactsView, crm_contacts_view, GTK_TYPE_WIDGET)

/* ---------------------------------------------------------------- helpers */

static void
form_values_clear (FormValues *values)
{
  g_clear_pointer (&values->name, g_free);
  g_clear_pointer (&values->addresses, g_free);
  g_clear_pointer (&values->phones, g_free);
  g_clear_pointer (&values->emails, g_free);
  g_clear_pointer (&values->notes, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FormValues, form_values_clear)

/* Non-empty, stripped lines joined by "\n": how the store reads them back. */
static char *
normalize_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, lines[i]);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
join_lines (const char * const *lines)
{
  if (lines == NULL)
    return g_strdup ("");

  return g_strjoinv ("\n", (char **) lines);
}

static char *
buffer_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
buffer_set_text (GtkTextView *view,
                 const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

/* The same rule as the store: something@domain.tld, no spaces or lists. */
static gboolean
is_valid_email (const char *address)
{
  const char *at = strchr (address, '@');
  gsize len = strlen (address);

  return at != NULL &&
         at != address &&
         strchr (at + 1, '.') != NULL &&
         strchr (at + 1, '@') == NULL &&
         strpbrk (address, " \t<>,;") == NULL &&
         address[len - 1] != '.';
}

static gboolean
contact_rows_equal (CrmContact *a,
                    CrmContact *b)
{
  return crm_contact_get_id (a) == crm_contact_get_id (b) &&
         crm_contact_get_n_leads (a) == crm_contact_get_n_leads (b) &&
         g_strcmp0 (crm_contact_get_name (a), crm_contact_get_name (b)) == 0 &&
         g_strcmp0 (crm_contact_get_kind (a), crm_contact_get_kind (b)) == 0 &&
         g_strcmp0 (crm_contact_get_company_name (a), crm_contact_get_company_name (b)) == 0;
}

static guint
find_contact (CrmContactsView *self,
              gint64           id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrmContact) contact = g_list_model_get_item (G_LIST_MODEL (self->contacts), i);

      if (crm_contact_get_id (contact) == id)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static gint64
current_id (CrmContactsView *self)
{
  return self->contact != NULL ? crm_contact_get_id (self->contact) : 0;
}

static void
select_position (CrmContactsView *self,
                 guint            position)
{
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
}

static void
show_toast (CrmContactsView *self,
            const char      *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CRM_IS_WINDOW (root))
    crm_window_add_toast (CRM_WINDOW (root), adw_toast_new (message));
  else
    g_warning ("%s", message);
}

static char *
contact_description (const char *kind,
                     const char *company_name)
{
  if (g_strcmp0 (kind, "company") == 0)
    return g_strdup (_("Company"));
  if (company_name != NULL && *company_name != '\0')
    /* TRANSLATORS: a person and the company they belong to */
    return g_strdup_printf (_("Person · %s"), company_name);
  return g_strdup (_("Person"));
}

/* ------------------------------------------------------- list of contacts */

/* Switches a button between an action without and one with a target,
 * clearing the action first: GTK checks name and target one at a time
 * and warns about the mismatch in between. */
static void
set_button_action (GtkButton  *button,
                   const char *action,
                   const char *target)
{
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          target ? g_variant_new_string (target) : NULL);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
}

static void
update_list_state (CrmContactsView *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean searching = search != NULL && *search != '\0';

  if (g_list_model_get_n_items (G_LIST_MODEL (self->contacts)) > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }

  if (searching)
    {
      adw_status_page_set_icon_name (self->list_status_page, "system-search-symbolic");
      adw_status_page_set_title (self->list_status_page, _("No Contacts Found"));
      adw_status_page_set_description (self->list_status_page, _("Try a different search."));
      gtk_button_set_label (self->clear_search_button, _("_Clear Search"));
      set_button_action (self->clear_search_button, "contacts.clear-search", NULL);
    }
  else
    {
      adw_status_page_set_icon_name (self->list_status_page, "system-users-symbolic");
      adw_status_page_set_title (self->list_status_page, _("No Contacts"));
      adw_status_page_set_description (self->list_status_page,
                                       _("Companies and people you sell to will be listed here."));
      gtk_button_set_label (self->clear_search_button, _("_New Contact"));
      set_button_action (self->clear_search_button, "contacts.new", "company");
    }

  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* Queries the list again and merges the result into self->contacts. The
 * selection follows the contact shown; with @follow_search a contact that
 * is no longer in the list gives way to the first match. */
static void
refresh_list (CrmContactsView *self,
              gboolean         follow_search)
{
  g_autoptr(GListModel) result = NULL;
  GListModel *old = G_LIST_MODEL (self->contacts);
  guint n_old, n_new;
  gboolean same_ids;
  guint position;

  if (self->store == NULL)
    return;

  result = crm_store_list_contacts (self->store,
                                    gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                    LIST_LIMIT);
  n_old = g_list_model_get_n_items (old);
  n_new = g_list_model_get_n_items (result);

  same_ids = n_old == n_new;
  for (guint i = 0; same_ids && i < n_new; i++)
    {
      g_autoptr(CrmContact) a = g_list_model_get_item (old, i);
      g_autoptr(CrmContact) b = g_list_model_get_item (result, i);

      same_ids = crm_contact_get_id (a) == crm_contact_get_id (b);
    }

  self->selecting = TRUE;

  if (same_ids)
    {
      for (guint i = 0; i < n_new; i++)
        {
          g_autoptr(CrmContact) a = g_list_model_get_item (old, i);
          g_autoptr(CrmContact) b = g_list_model_get_item (result, i);

          if (!contact_rows_equal (a, b))
            g_list_store_splice (self->contacts, i, 1, (gpointer *) &b, 1);
        }
    }
  else
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_full (n_new, g_object_unref);

      for (guint i = 0; i < n_new; i++)
        g_ptr_array_add (items, g_list_model_get_item (result, i));
      g_list_store_splice (self->contacts, 0, n_old, items->pdata, n_new);
    }

  position = find_contact (self, current_id (self));
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;

  /* a renamed contact moves: keep it in sight */
  if (!same_ids && position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);

  if (position == GTK_INVALID_LIST_POSITION && follow_search && n_new > 0)
    {
      g_autoptr(CrmContact) first = g_list_model_get_item (G_LIST_MODEL (self->contacts), 0);

      select_position (self, 0);
      show_contact (self, first);
    }

  update_list_state (self);
}

/* ---------------------------------------------------------- company list */

static void
rebuild_companies (CrmContactsView *self)
{
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  gint64 none = 0;
  guint n_old;

  if (!self->companies_dirty || self->store == NULL)
    return;

  self->companies_dirty = FALSE;
  all = crm_store_list_contacts (self->store, NULL, 0);

  g_array_set_size (self->company_ids, 0);
  g_strv_builder_add (names, C_("company", "None"));
  g_array_append_val (self->company_ids, none);

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(CrmContact) contact = g_list_model_get_item (all, i);
      gint64 id = crm_contact_get_id (contact);

      if (!crm_contact_is_company (contact))
        continue;
      g_strv_builder_add (names, crm_contact_get_name (contact));
      g_array_append_val (self->company_ids, id);
    }

  strv = g_strv_builder_end (names);
  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->company_names));
  gtk_string_list_splice (self->company_names, 0, n_old, (const char * const *) strv);
}

static guint
company_position (CrmContactsView *self,
                  gint64           company_id)
{
  for (guint i = 0; i < self->company_ids->len; i++)
    if (g_array_index (self->company_ids, gint64, i) == company_id)
      return i;

  return 0;
}

/* -------------------------------------------------------------- the form */

static void
update_header (CrmContactsView *self,
               const char      *name)
{
  g_autofree char *description = NULL;
  const char *company_name = NULL;

  g_assert (self->contact != NULL);

  if (!crm_contact_is_company (self->contact))
    {
      guint selected = gtk_drop_down_get_selected (self->company_dropdown);

      if (selected != GTK_INVALID_LIST_POSITION && selected > 0 &&
          selected < g_list_model_get_n_items (G_LIST_MODEL (self->company_names)))
        company_name = gtk_string_list_get_string (self->company_names, selected);
    }

  description = contact_description (crm_contact_get_kind (self->contact), company_name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->company_dropdown), company_name);

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->back_title, name);
  gtk_label_set_label (self->kind_label, description);
  adw_avatar_set_text (self->avatar, name);
}

static void
set_name_error (CrmContactsView *self,
                const char      *message)
{
  GtkWidget *row = GTK_WIDGET (self->name_row);

  self->name_error = message != NULL;

  if (message != NULL)
    {
      /* The entry row has no subtitle: its title carries the message,
       * visible above the text while editing and in place of it when empty. */
      g_autofree char *title = g_strdup_printf (_("Name — %s"), message);

      gtk_widget_add_css_class (row, "error");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Name"));
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
set_emails_error (CrmContactsView *self,
                  const char      *message)
{
  self->emails_error_shown = message != NULL;

  gtk_label_set_label (self->emails_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->emails_error), message != NULL);

  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->emails_title), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->emails_view),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->emails_view),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->emails_title), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->emails_view), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->emails_view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
set_company_error (CrmContactsView *self,
                   const char      *message)
{
  adw_action_row_set_subtitle (self->company_row, message);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->company_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->company_row), "error");
}

static void
clear_errors (CrmContactsView *self)
{
  set_name_error (self, NULL);
  set_emails_error (self, NULL);
  set_company_error (self, NULL);
}

static void
read_form (CrmContactsView *self,
           FormValues      *values)
{
  g_autofree char *addresses = buffer_get_text (self->addresses_view);
  g_autofree char *phones = buffer_get_text (self->phones_view);
  g_autofree char *emails = buffer_get_text (self->emails_view);
  guint selected;

  g_assert (self->contact != NULL);

  values->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  values->addresses = normalize_lines (addresses);
  values->phones = normalize_lines (phones);
  values->emails = normalize_lines (emails);
  values->notes = g_strstrip (buffer_get_text (self->notes_view));

  values->company_id = 0;
  selected = gtk_drop_down_get_selected (self->company_dropdown);
  if (!crm_contact_is_company (self->contact) && selected < self->company_ids->len)
    values->company_id = g_array_index (self->company_ids, gint64, selected);
}

static char *
check_name (const char *name)
{
  if (*name == '\0')
    return g_strdup (_("a name is required"));
  if (g_utf8_strlen (name, -1) > CONTACT_NAME_MAX)
    return g_strdup_printf (ngettext ("at most %d character", "at most %d characters", CONTACT_NAME_MAX), CONTACT_NAME_MAX);
  return NULL;
}

static char *
check_emails (const char *emails)
{
  g_auto(GStrv) lines = g_strsplit (emails, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && !is_valid_email (lines[i]))
      /* TRANSLATORS: shown below the e-mail addresses of a contact */
      return g_strdup_printf (_("“%s” is not an e-mail address"), lines[i]);

  return NULL;
}

/* Shows the errors of the form; with @only_shown, only updates the ones
 * already on screen (so that fixing a field clears its error at once, but
 * typing does not raise new ones before the pause). */
static gboolean
validate_form (CrmContactsView  *self,
               const FormValues *values,
               gboolean          only_shown)
{
  g_autofree char *name_message = check_name (values->name);
  g_autofree char *emails_message = check_emails (values->emails);

  if (!only_shown || self->name_error)
    set_name_error (self, name_message);
  if (!only_shown || self->emails_error_shown)
    set_emails_error (self, emails_message);

  return name_message == NULL && emails_message == NULL;
}

static gboolean
form_differs (CrmContactsView  *self,
              const FormValues *values)
{
  g_autofree char *addresses = join_lines (crm_contact_get_addresses (self->contact));
  g_autofree char *phones = join_lines (crm_contact_get_phones (self->contact));
  g_autofree char *emails = join_lines (crm_contact_get_emails (self->contact));
  g_autofree char *notes = g_strstrip (g_strdup (crm_contact_get_notes (self->contact) ?: ""));

  return g_strcmp0 (values->name, crm_contact_get_name (self->contact)) != 0 ||
         values->company_id != crm_contact_get_company_id (self->contact) ||
         g_strcmp0 (values->addresses, addresses) != 0 ||
         g_strcmp0 (values->phones, phones) != 0 ||
         g_strcmp0 (values->emails, emails) != 0 ||
         g_strcmp0 (values->notes, notes) != 0;
}

/* The store prefixes its messages with the field ("emails: …"). */
static void
show_store_error (CrmContactsView *self,
                  const GError    *error)
{
  static const struct {
    const char *prefix;
    void (*show) (CrmContactsView *, const char *);
  } fields[] = {
    { "name: ", set_name_error },
    { "emails: ", set_emails_error },
    { "company: ", set_company_error },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_has_prefix (error->message, fields[i].prefix))
      {
        fields[i].show (self, error->message + strlen (fields[i].prefix));
        return;
      }

  if (CRM_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))))
    crm_window_show_error (CRM_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), error);
  else
    g_warning ("%s", error->message);
}

/* Writes the form if it is valid and changed. Returns FALSE when invalid
 * input was not stored, with the reason in @message. */
static gboolean
save_now (CrmContactsView  *self,
          char            **message)
{
  g_auto(FormValues) values = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CrmContact) stored = NULL;
  gboolean ok;

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (self->contact == NULL || self->store == NULL)
    return TRUE;

  read_form (self, &values);

  if (!validate_form (self, &values, FALSE))
    {
      if (message != NULL)
        *message = self->name_error ? check_name (values.name) : check_emails (values.emails);
      return FALSE;
    }

  if (!form_differs (self, &values))
    {
      self->dirty = FALSE;
      return TRUE;
    }

  self->saving = TRUE;
  ok = crm_store_update_contact (self->store, crm_contact_get_id (self->contact),
                                 values.name, values.company_id,
                                 values.addresses, values.phones, values.emails, values.notes,
                                 &error);
  self->saving = FALSE;

  if (!ok)
    {
      show_store_error (self, error);
      if (message != NULL)
        *message = g_strdup (error->message);
      return FALSE;
    }

  self->dirty = FALSE;
  set_company_error (self, NULL);

  stored = crm_store_get_contact (self->store, crm_contact_get_id (self->contact), NULL);
  if (stored != NULL)
    g_set_object (&self->contact, stored);

  return TRUE;
}

/* Before the form shows something else: save what is pending, and tell
 * the user when invalid input had to be dropped. */
static void
flush_save (CrmContactsView *self)
{
  g_autofree char *message = NULL;
  g_autofree char *toast = NULL;

  if (!self->dirty)
    return;

  if (save_now (self, &message))
    return;

  /* TRANSLATORS: a contact's name and why its changes were dropped */
  toast = g_strdup_printf (_("Changes to “%s” not saved: %s"),
                           crm_contact_get_name (self->contact), message);
  show_toast (self, toast);
}

static void
load_form (CrmContactsView *self)
{
  g_autofree char *addresses = NULL;
  g_autofree char *phones = NULL;
  g_autofree char *emails = NULL;
  gboolean person;

  g_assert (self->contact != NULL);

  addresses = join_lines (crm_contact_get_addresses (self->contact));
  phones = join_lines (crm_contact_get_phones (self->contact));
  emails = join_lines (crm_contact_get_emails (self->contact));
  person = !crm_contact_is_company (self->contact);

  self->loading = TRUE;

  if (person)
    {
      rebuild_companies (self);
      gtk_drop_down_set_selected (self->company_dropdown,
                                  company_position (self, crm_contact_get_company_id (self->contact)));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->company_row), person);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), crm_contact_get_name (self->contact));
  buffer_set_text (self->addresses_view, addresses);
  buffer_set_text (self->phones_view, phones);
  buffer_set_text (self->emails_view, emails);
  buffer_set_text (self->notes_view, crm_contact_get_notes (self->contact));
  clear_errors (self);
  update_header (self, crm_contact_get_name (self->contact));

  self->dirty = FALSE;
  self->loading = FALSE;
}

/* ----------------------------------------------------- leads and history */

static GtkWidget *
create_lead_row (gpointer item,
                 gpointer user_data)
{
  CrmContactsView *self = user_data;
  CrmLead *lead = item;
  g_autofree char *volume = crm_money_format (crm_lead_get_volume_minor (lead), crm_lead_get_currency (lead));
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row;
  GtkWidget *label;
  GtkWidget *arrow;

  /* a company's list also holds the leads of its people: name them */
  if (self->contact != NULL && crm_lead_get_contact_id (lead) != crm_contact_get_id (self->contact) &&
      crm_lead_get_contact_name (lead) != NULL)
    g_string_append_printf (subtitle, "%s · ", crm_lead_get_contact_name (lead));
  /* TRANSLATORS: a lead's phase and status, e.g. "Proposal · Open" */
  g_string_append_printf (subtitle, _("%s · %s"),
                          crm_lead_get_phase_label (lead) ?: "",
                          crm_lead_get_status_label (lead) ?: "");

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), crm_lead_get_title (lead));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  label = gtk_label_new (volume);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_widget_add_css_class (label, "numeric");
  if (crm_lead_get_status_class (lead) == CRM_STATUS_CLASS_LOST)
    gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (arrow),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open lead"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  return row;
}

static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  return crm_history_row_new (item, TRUE);
}

static void
load_related (CrmContactsView *self)
{
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (self->contact != NULL);

  g_clear_object (&self->leads);
  self->leads = crm_store_list_contact_leads (self->store, crm_contact_get_id (self->contact));
  gtk_list_box_bind_model (self->leads_list, self->leads, create_lead_row, self, NULL);

  history = crm_store_contact_history (self->store, crm_contact_get_id (self->contact), &error);
  if (history == NULL)
    {
      g_warning ("Could not read the history of contact %" G_GINT64_FORMAT ": %s",
                 crm_contact_get_id (self->contact), error->message);
      gtk_list_box_bind_model (self->history_list, NULL, NULL, NULL, NULL);
      return;
    }
  gtk_list_box_bind_model (self->history_list, history, create_history_row, self, NULL);
}

/* Shows @contact (or nothing) in the detail pane. */
static void
show_contact (CrmContactsView *self,
              CrmContact      *contact)
{
  gboolean other = contact == NULL || crm_contact_get_id (contact) != current_id (self);

  flush_save (self);

  if (contact == NULL)
    {
      g_clear_object (&self->contact);
      g_clear_object (&self->leads);
      gtk_list_box_bind_model (self->leads_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->history_list, NULL, NULL, NULL, NULL);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      gtk_label_set_label (self->back_title, "");
      return;
    }

  g_set_object (&self->contact, contact);
  load_form (self);
  load_related (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "contact");

  if (other)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
}

/* After the user picked a contact: show its detail when folded, or when
 * the window gets narrow later. Only while folded: an unfolded leaflet
 * would move the focus from the list into the name field. */
static void
show_detail_pane (CrmContactsView *self)
{
  self->detail_wanted = TRUE;

  if (adw_leaflet_get_folded (self->leaflet) &&
      g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "detail") != 0)
    {
      adw_leaflet_set_visible_child_name (self->leaflet, "detail");
      gtk_widget_grab_focus (self->back_button);
    }
}

/* ---------------------------------------------------------------- refresh */

static void
reload_contact (CrmContactsView *self)
{
  g_autoptr(CrmContact) stored = NULL;
  g_auto(FormValues) shown = { 0 };

  if (self->contact == NULL || self->dirty)
    return;

  stored = crm_store_get_contact (self->store, crm_contact_get_id (self->contact), NULL);
  if (stored == NULL)
    {
      /* deleted elsewhere */
      show_contact (self, NULL);
      return;
    }

  /* only touch the form when the stored values differ from it */
  read_form (self, &shown);
  g_set_object (&self->contact, stored);
  if (form_differs (self, &shown))
    load_form (self);
  else
    update_header (self, crm_contact_get_name (stored));
}

/* A company was added, renamed or removed: refresh the drop-down of a
 * person being shown, unless the user is changing it right now. */
static void
reload_companies (CrmContactsView *self)
{
  if (!self->companies_dirty || self->contact == NULL ||
      crm_contact_is_company (self->contact) || self->dirty)
    return;

  self->loading = TRUE;
  rebuild_companies (self);
  gtk_drop_down_set_selected (self->company_dropdown,
                              company_position (self, crm_contact_get_company_id (self->contact)));
  self->loading = FALSE;
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CrmContactsView *self = user_data;
  RefreshFlags flags = self->refresh_flags;

  self->refresh_source = 0;
  self->refresh_flags = 0;

  if (self->store == NULL)
    return G_SOURCE_REMOVE;

  if (flags & REFRESH_LIST)
    {
      refresh_list (self, FALSE);
      reload_companies (self);
    }
  if ((flags & REFRESH_FORM) && self->contact != NULL)
    reload_contact (self);
  if ((flags & REFRESH_RELATED) && self->contact != NULL)
    load_related (self);

  return G_SOURCE_REMOVE;
}

/* Coalesces changes into one refresh in an idle; while the view is not
 * on screen they are only collected, and applied when it is mapped. */
static void
queue_refresh (CrmContactsView *self,
               RefreshFlags     flags)
{
  self->refresh_flags |= flags;
  if (self->refresh_source == 0 && self->refresh_flags != 0 &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->refresh_source = g_idle_add (refresh_idle_cb, self);
}

/* ---------------------------------------------------------------- actions */

static void
new_contact_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  const char *kind = g_variant_get_string (parameter, NULL);
  gboolean person = g_strcmp0 (kind, "person") == 0;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->store == NULL)
    return;

  flush_save (self);

  id = crm_store_create_contact (self->store, person ? "person" : "company",
                                 person ? _("New person") : _("New company"), 0, &error);
  if (id == 0)
    {
      show_store_error (self, error);
      return;
    }

  crm_contacts_view_select_contact (self, id);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  gtk_editable_select_region (GTK_EDITABLE (self->name_row), 0, -1);
}

static void
clear_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  refresh_list (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* -------------------------------------------------------------- callbacks */

static char *
format_contact_caption (gpointer    unused,
                        const char *kind,
                        const char *company_name)
{
  return contact_description (kind, company_name);
}

static char *
format_lead_count (gpointer unused,
                   int      n_leads)
{
  if (n_leads == 0)
    return g_strdup (_("No leads"));

  return g_strdup_printf (ngettext ("%d lead", "%d leads", n_leads), n_leads);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  CrmContactsView *self = user_data;

  self->save_source = 0;
  save_now (self, NULL);

  return G_SOURCE_REMOVE;
}

static void
on_field_changed_cb (CrmContactsView *self)
{
  g_auto(FormValues) values = { 0 };

  if (self->loading || self->contact == NULL)
    return;

  read_form (self, &values);
  validate_form (self, &values, TRUE);
  update_header (self, *values.name != '\0' ? values.name : crm_contact_get_name (self->contact));

  self->dirty = TRUE;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
on_search_entry_search_changed_cb (CrmContactsView *self)
{
  refresh_list (self, TRUE);
}

static void
on_search_entry_stop_search_cb (CrmContactsView *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_widget_activate_action (GTK_WIDGET (self), "contacts.clear-search", NULL);
}

static void
on_search_entry_activate_cb (CrmContactsView *self)
{
  if (gtk_single_selection_get_selected_item (self->selection) == NULL)
    return;

  show_detail_pane (self);
}

static void
on_selection_selected_cb (CrmContactsView *self)
{
  CrmContact *contact;

  if (self->selecting)
    return;

  contact = gtk_single_selection_get_selected_item (self->selection);
  if (contact == NULL)
    return;

  if (crm_contact_get_id (contact) != current_id (self))
    show_contact (self, contact);

  /* a click or tap opens the contact; arrow keys only move through the
   * list (Enter opens, see on_list_view_activate_cb) */
  if (!self->key_pressed)
    show_detail_pane (self);
}

static gboolean
key_handled_cb (gpointer user_data)
{
  CrmContactsView *self = user_data;

  self->key_pressed = FALSE;
  self->key_source = 0;

  return G_SOURCE_REMOVE;
}

/* Marks the selection changes made while the list handles a key press. */
static gboolean
on_list_key_pressed_cb (CrmContactsView *self)
{
  self->key_pressed = TRUE;
  if (self->key_source == 0)
    self->key_source = g_idle_add (key_handled_cb, self);

  return GDK_EVENT_PROPAGATE;
}

static void
on_list_view_activate_cb (CrmContactsView *self,
                          guint            position)
{
  g_autoptr(CrmContact) contact = g_list_model_get_item (G_LIST_MODEL (self->contacts), position);

  if (contact == NULL)
    return;

  if (crm_contact_get_id (contact) != current_id (self))
    {
      select_position (self, position);
      show_contact (self, contact);
    }
  show_detail_pane (self);
}

static void
on_leaflet_folded_cb (CrmContactsView *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  gtk_widget_set_visible (self->back_bar, folded);
  if (folded && self->detail_wanted && self->contact != NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
      GtkWidget *list_pane = gtk_widget_get_parent (GTK_WIDGET (self->list_stack));

      adw_leaflet_set_visible_child_name (self->leaflet, "detail");

      /* not into the name field, where typing would replace the name */
      if (focus != NULL && gtk_widget_is_ancestor (focus, list_pane))
        gtk_widget_grab_focus (self->back_button);
    }
}

/* Back (button, Alt+Left or a swipe) to the list. */
static void
on_leaflet_visible_child_cb (CrmContactsView *self)
{
  if (adw_leaflet_get_folded (self->leaflet) &&
      g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "list") == 0)
    self->detail_wanted = FALSE;
}

static void
on_leads_list_row_activated_cb (CrmContactsView *self,
                                GtkListBoxRow   *row)
{
  g_autoptr(CrmLead) lead = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->leads == NULL)
    return;

  lead = g_list_model_get_item (self->leads, gtk_list_box_row_get_index (row));
  if (lead != NULL && CRM_IS_WINDOW (root))
    crm_window_show_lead (CRM_WINDOW (root), crm_lead_get_id (lead));
}

/* Quitting does not destroy the window: save a pending edit first. */
static void
on_application_shutdown_cb (CrmContactsView *self)
{
  if (self->dirty)
    save_now (self, NULL);
}

static void
on_store_contacts_changed_cb (CrmContactsView *self,
                              gint64           id)
{
  RefreshFlags flags = REFRESH_LIST;

  if (id == 0)
    self->companies_dirty = TRUE;
  else if (!self->companies_dirty)
    {
      g_autoptr(CrmContact) changed = crm_store_get_contact (self->store, id, NULL);

      if (changed == NULL || crm_contact_is_company (changed))
        self->companies_dirty = TRUE;
    }

  if (!self->saving && (id == 0 || id == current_id (self)))
    flags |= REFRESH_FORM;
  if (id == 0)
    flags |= REFRESH_RELATED;

  queue_refresh (self, flags);
}

static void
on_store_leads_changed_cb (CrmContactsView *self)
{
  /* the list shows the number of leads */
  queue_refresh (self, REFRESH_LIST | REFRESH_RELATED);
}

/* -------------------------------------------------------------- overrides */

static void
crm_contacts_view_map (GtkWidget *widget)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);

  GTK_WIDGET_CLASS (crm_contacts_view_parent_class)->map (widget);

  queue_refresh (self, 0);
}

static void
crm_contacts_view_dispose (GObject *object)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (object);

  if (self->dirty)
    save_now (self, NULL);
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->key_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONTACTS_VIEW);

  g_clear_object (&self->contact);
  g_clear_object (&self->leads);
  g_clear_object (&self->contacts);
  g_clear_object (&self->company_names);
  g_clear_pointer (&self->company_ids, g_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_contacts_view_parent_class)->dispose (object);
}

static void
crm_contacts_view_class_init (CrmContactsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_contacts_view_dispose;
  widget_class->map = crm_contacts_view_map;

  g_type_ensure (CRM_TYPE_CONTACT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadsdesk/Leads/crm-contacts-view.ui");

  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, selection);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, list_status_page);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, clear_search_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, back_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, back_title);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, avatar);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, name_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, kind_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, company_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, company_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, addresses_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, phones_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, emails_title);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, emails_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, emails_error);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, notes_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, leads_list);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, history_list);

  gtk_widget_class_bind_template_callback (widget_class, format_contact_caption);
  gtk_widget_class_bind_template_callback (widget_class, format_lead_count);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leads_list_row_activated_cb);

  /* "company" or "person" */
  gtk_widget_class_install_action (widget_class, "contacts.new", "s", new_contact_action);
  gtk_widget_class_install_action (widget_class, "contacts.clear-search", NULL, clear_search_action);
  gtk_widget_class_install_action (widget_class, "contacts.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "contacts.back", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
placeholder_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");

  return label;
}

static void
setup_company_item_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  if (GPOINTER_TO_INT (ellipsize))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_company_item_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  ellipsize)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (string));
}

static GtkListItemFactory *
company_factory_new (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_company_item_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_company_item_cb), GINT_TO_POINTER (ellipsize));

  return factory;
}

static void
crm_contacts_view_init (CrmContactsView *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkListItemFactory) list_factory = NULL;
  GtkEventController *keys;
  GtkTextView *views[4];

  gtk_widget_init_template (GTK_WIDGET (self));

  self->contacts = g_list_store_new (CRM_TYPE_CONTACT);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->contacts));
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_list_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), keys);

  self->company_names = gtk_string_list_new (NULL);
  self->company_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->companies_dirty = TRUE;
  factory = company_factory_new (TRUE);
  list_factory = company_factory_new (FALSE);
  gtk_drop_down_set_factory (self->company_dropdown, factory);
  gtk_drop_down_set_list_factory (self->company_dropdown, list_factory);
  gtk_drop_down_set_expression (self->company_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_drop_down_set_model (self->company_dropdown, G_LIST_MODEL (self->company_names));

  views[0] = self->addresses_view;
  views[1] = self->phones_view;
  views[2] = self->emails_view;
  views[3] = self->notes_view;
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    g_signal_connect_object (gtk_text_view_get_buffer (views[i]), "changed",
                             G_CALLBACK (on_field_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_list_box_set_placeholder (self->leads_list, placeholder_new (_("No leads yet")));
  gtk_list_box_set_placeholder (self->history_list, placeholder_new (_("No contact reports yet")));

  if (g_application_get_default () != NULL)
    g_signal_connect_object (g_application_get_default (), "shutdown",
                             G_CALLBACK (on_application_shutdown_cb), self, G_CONNECT_SWAPPED);

  on_leaflet_folded_cb (self);
}

/* ----------------------------------------------------------------- public */

void
crm_contacts_view_set_store (CrmContactsView *self,
                             CrmStore        *store)
{
  g_autoptr(CrmContact) first = NULL;

  g_return_if_fail (CRM_IS_CONTACTS_VIEW (self));
  g_return_if_fail (store == NULL || CRM_IS_STORE (store));

  if (self->store == store)
    return;

  flush_save (self);
  show_contact (self, NULL);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  self->companies_dirty = TRUE;

  if (store == NULL)
    {
      g_list_store_remove_all (self->contacts);
      return;
    }

  g_signal_connect_object (store, "contacts-changed",
                           G_CALLBACK (on_store_contacts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "lead-changed",
                           G_CALLBACK (on_store_leads_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "leads-changed",
                           G_CALLBACK (on_store_leads_changed_cb), self, G_CONNECT_SWAPPED);

  refresh_list (self, TRUE);
}

void
crm_contacts_view_focus_search (CrmContactsView *self)
{
  g_return_if_fail (CRM_IS_CONTACTS_VIEW (self));

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/**
 * crm_contacts_view_select_contact:
 *
 * Selects and shows the contact @contact_id; clears the search when the
 * contact is not among its results.
 */
void
crm_contacts_view_select_contact (CrmContactsView *self,
                                  gint64           contact_id)
{
  g_autoptr(CrmContact) contact = NULL;
  guint position;

  g_return_if_fail (CRM_IS_CONTACTS_VIEW (self));

  if (self->store == NULL)
    return;

  flush_save (self);

  /* the list may not know a contact created a moment ago yet */
  refresh_list (self, FALSE);
  position = find_contact (self, contact_id);

  if (position == GTK_INVALID_LIST_POSITION &&
      *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      refresh_list (self, FALSE);
      position = find_contact (self, contact_id);
    }

  if (position != GTK_INVALID_LIST_POSITION)
    contact = g_list_model_get_item (G_LIST_MODEL (self->contacts), position);
  else
    contact = crm_store_get_contact (self->store, contact_id, NULL);   /* beyond the list's limit */

  if (contact == NULL)
    return;

  show_contact (self, contact);
  select_position (self, position);
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  show_detail_pane (self);
}
