/* main.c: leads-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "crm-server-cli.h"

int
main (int    argc,
      char **argv)
{
  return crm_server_main (argc, argv);
}
