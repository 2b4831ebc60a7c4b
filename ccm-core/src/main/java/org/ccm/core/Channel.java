package org.ccm.core;

/**
 * A way of reaching a customer. The order of a customer's preferred channels decides
 * where a communication goes first and where it falls back to.
 */
public enum Channel {

	EMAIL, SMS, PRINT, PORTAL

}
