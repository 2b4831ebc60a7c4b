package org.ccm.core;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Saved segments by key.
 */
interface SegmentRepository extends JpaRepository<SegmentEntity, String> {

	List<SegmentEntity> findAllByOrderByKey();

}
