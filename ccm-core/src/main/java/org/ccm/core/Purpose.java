package org.ccm.core;

/**
 * Why a communication is sent. Transactional messages (invoices, statements, notices) are
 * owed to the customer and need no opt-in; marketing needs the customer's explicit
 * consent per channel.
 */
public enum Purpose {

	TRANSACTIONAL, MARKETING

}
