/**
 * The REST API of the customer database.
 */
@NullMarked
package org.ccm.core.web;

import org.jspecify.annotations.NullMarked;
