title = L’UE soutient la coopération transfrontalière entre le Tadjikistan et l’Afghanistan

body =
    L’{ -eu } et le Programme des Nations unies pour le développement ont lancé aujourd’hui à Douchanbé la troisième phase du programme de gestion des frontières dans le nord de l’Afghanistan (BOMNAF).

    Le programme aidera les services frontaliers des deux pays à :

    - former ensemble gardes-frontières et douaniers ;
    - équiper les points de passage le long du fleuve Piandj ;
    - faciliter les échanges et les déplacements des populations des deux rives.

    « Des frontières ouvertes et sûres rapprochent les peuples », a déclaré le chef de la délégation de l’{ -eu }.
