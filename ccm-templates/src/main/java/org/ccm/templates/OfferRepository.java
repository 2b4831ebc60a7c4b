package org.ccm.templates;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Targeted offers by key.
 */
interface OfferRepository extends JpaRepository<OfferEntity, String> {

	List<OfferEntity> findAllByOrderByPriorityDescKeyAsc();

}
