/**
 * The sms channel.
 */
@NullMarked
package org.ccm.delivery.sms;

import org.jspecify.annotations.NullMarked;
