/**
 * The print channel.
 */
@NullMarked
package org.ccm.delivery.print;

import org.jspecify.annotations.NullMarked;
