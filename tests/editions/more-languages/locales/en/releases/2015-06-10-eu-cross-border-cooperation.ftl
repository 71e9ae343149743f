title = EU supports cross-border cooperation between Tajikistan and Afghanistan

body =
    The { -eu } and the United Nations Development Programme today launched in Dushanbe the third phase of the Border Management Northern Afghanistan programme (BOMNAF).

    The programme will help the border services of both countries to:

    - train border guards and customs officers together;
    - equip the border crossing points along the Panj river;
    - make trade and travel easier for the communities on both banks.

    "Open and secure borders bring people together," said the Head of the { -eu } Delegation.
