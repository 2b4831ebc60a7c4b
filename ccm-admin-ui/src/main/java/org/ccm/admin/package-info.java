/**
 * The staff web UI and the customer portal pages.
 */
@NullMarked
package org.ccm.admin;

import org.jspecify.annotations.NullMarked;
