"""Qt item models and the read models behind them."""
