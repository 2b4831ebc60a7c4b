package org.ccm.core;

public enum CustomerStatus {

	ACTIVE, INACTIVE, ERASED

}
