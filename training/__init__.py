"""Fine-tuning, evaluation and calibration of stayform's token classifier."""
