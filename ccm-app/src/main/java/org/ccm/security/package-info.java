/**
 * Who may do what: API keys for back-office systems, staff logins with roles for the
 * admin UI, and the public but signed tracking and portal endpoints.
 */
@NullMarked
package org.ccm.security;

import org.jspecify.annotations.NullMarked;
