package org.ccm.core;

/**
 * A consent given or withdrawn for one channel and purpose, with where it came from (a
 * web form, a call centre, a one-click unsubscribe).
 */
public record ConsentChange(Channel channel, Purpose purpose, boolean granted, String source) {

}
