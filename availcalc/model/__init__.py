"""The sending-tier domain model: scenarios, presets, evaluation (units in every name)."""
