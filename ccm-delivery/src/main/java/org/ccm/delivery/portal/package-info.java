/**
 * The portal channel.
 */
@NullMarked
package org.ccm.delivery.portal;

import org.jspecify.annotations.NullMarked;
