/**
 * The email channel.
 */
@NullMarked
package org.ccm.delivery.email;

import org.jspecify.annotations.NullMarked;
