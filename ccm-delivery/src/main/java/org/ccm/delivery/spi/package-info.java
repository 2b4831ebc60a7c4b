/**
 * Extension points of the delivery module.
 */
@NamedInterface("spi")
@NullMarked
package org.ccm.delivery.spi;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
